import SIPCore

/// 503 Service Unavailable: a trunk at its concurrent-call limit or an
/// overloaded carrier, often with Retry-After and a Q.850 congestion cause.
struct ServiceUnavailableRule: DiagnosisRule {
    let family = "service-unavailable"
    static let capacityCauses: Set<Int> = [34, 38, 41, 42, 44, 47]

    func evaluate(_ c: CallContext) -> Finding? {
        guard c.failureCode == 503, let f = c.firstFailure else { return nil }
        let m = c.message(f.position)
        var evidence = [c.failureEvidence()!]
        if let ra = m["retry-after"] {
            evidence.append(Evidence("Retry-After: \(ra): the server asks callers to back off", messages: [c.ref(f.position)]))
        }
        evidence += c.reasonEvidence(f.position)
        let cause = m.q850Cause
        let capacity = cause.map { Self.capacityCauses.contains($0.value) } ?? false
        if capacity { evidence.append(Evidence("cause \(cause!.value) means capacity or congestion, not a bad request")) }
        return Finding(
            family: family, role: .explainsFirstFailure,
            headline: "Call rejected: 503 Service Unavailable from \(c.sender(f.position))\(cause.map { " (\($0.name))" } ?? ""): trunk limit or carrier overload",
            outcome: .failed, responsibleSide: c.responsibleSide(forResponseAt: f.position),
            evidence: evidence,
            fixSteps: [
                "Check the number of concurrent calls on the trunk against its channel limit at the time of the call.",
                "Add channels or enable the burst trunk if the limit was reached.",
                "If the trunk was below its limit, the carrier is overloaded: fail over and open a carrier ticket with the pcap.",
            ],
            confidence: Confidence(capacity || m.hasHeader("retry-after") ? .high : .medium,
                                   capacity ? "503 with a capacity cause" : "503 without a capacity cause: overload is the usual reason, not the only one"))
    }
}
