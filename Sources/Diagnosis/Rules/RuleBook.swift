/// Every rule the diagnosis runs, most specific first: when two rules
/// explain the same first failure, the earlier one gives the headline.
public enum RuleBook {
    public static let all: [any DiagnosisRule] = [
        GhostCallRule(),
        AuthFailureRule(),
        StirShakenRule(),
        ForbiddenRule(),
        CodecMismatchRule(),
        SessionTimerRule(),
        NoAnswerRule(),
        ServiceUnavailableRule(),
        RegistrationRule(),
        MissingACKRule(),
        GlareRule(),
        DialogMismatchRule(),
        UnavailableRule(),
        NumberRule(),
        BusyDeclineRule(),
        NATRule(),
        CallQualityRule(),
        GenericFailureRule(),
    ]
}
