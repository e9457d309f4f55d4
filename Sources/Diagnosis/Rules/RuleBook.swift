/// Every rule the diagnosis runs, most specific first: when two rules
/// explain the same first failure, the earlier one gives the headline.
/// Media proven from RTP comes before what the signalling only suggests
/// (one-way audio before the SDP-based NAT rule, measured quality before
/// the endpoints' own statistics headers).
public enum RuleBook {
    public static let all: [any DiagnosisRule] = [
        GhostCallRule(),
        ScannerRule(),
        // The platform's own words about the failure beat what the SIP
        // response alone suggests (a 404 that is a dial-plan miss, a 401
        // that is an ACL refusing the address).
        PlatformLogRule(),
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
        RedirectRule(),
        OneWayAudioRule(),
        NATRule(),
        ChoppyAudioRule(),
        CallQualityRule(),
        GenericFailureRule(),
    ]
}
