import SIPCore

/// The end-of-call RTP statistics endpoints put in BYE or its 200 OK:
/// `X-RTP-Stat` / `P-RTP-Stat` (`PS=..,OS=..,PR=..,OR=..,PL=..,JI=..,LA=..,DU=..,EN=..`)
/// and Cisco's `RTP-RxStat` (`Dur=..,Pkt=..,LatePkt=..,LostPkt=..,AvgJit=..`).
public struct RTPStatReport: Sendable, Equatable {
    public var header: String
    public var packetsReceived: Int?
    public var packetsLost: Int?
    public var packetsSent: Int?
    /// Interarrival jitter in ms as the endpoint reports it.
    public var jitterMs: Double?
    /// Latency in ms (LA), when reported.
    public var latencyMs: Double?
    public var durationSeconds: Int?
    public var codec: String?

    public static let headerNames = ["X-RTP-Stat", "P-RTP-Stat", "RTP-RxStat"]

    public init?(header: String, value: String) {
        self.header = header
        var fields: [String: String] = [:]
        for part in value.split(whereSeparator: { $0 == "," || $0 == ";" }) {
            guard let eq = part.firstIndex(of: "=") else { continue }
            fields[part[..<eq].trimmingCharacters().uppercased()] = part[part.index(after: eq)...].trimmingCharacters().trimmingQuotes()
        }
        // Counts within 32 bits (RTP's own counters are narrower), so sums
        // of them cannot overflow; figures that are numbers, not NaN or inf.
        func int(_ keys: String...) -> Int? { keys.lazy.compactMap { fields[$0].flatMap { Int32($0) }.map(Int.init) }.first }
        func double(_ keys: String...) -> Double? { keys.lazy.compactMap { fields[$0].flatMap { Double($0) }.flatMap { $0.isFinite ? $0 : nil } }.first }
        packetsReceived = int("PR", "PKT")
        packetsLost = int("PL", "LOSTPKT")
        packetsSent = int("PS")
        jitterMs = double("JI", "AVGJIT")
        latencyMs = double("LA")
        durationSeconds = int("DU", "DUR")
        codec = fields["EN"] ?? fields["DE"]
        guard packetsReceived != nil || packetsLost != nil || jitterMs != nil else { return nil }
    }

    /// Lost packets as a share of those expected, in percent.
    public var lossPercent: Double? {
        guard let lost = packetsLost, let got = packetsReceived, lost + got > 0 else { return nil }
        return Double(max(0, lost)) * 100 / Double(max(0, lost) + got)
    }
}

extension String {
    func trimmingQuotes() -> String {
        (hasPrefix("\"") && hasSuffix("\"") && count >= 2) ? String(dropFirst().dropLast()) : self
    }
}
