/// Picks the reader for a text trace from its first bytes.
public enum FormatSniffer {
    /// How much of the file the readers judge.
    public static let headBytes = 64 * 1024
    /// Below this no reader is sure enough to be trusted.
    public static let threshold = 0.3

    /// Most specific first: on a tie the format with the more distinctive
    /// heading wins, and raw SIP (which every other format also contains)
    /// comes last.
    public static let readers: [any TraceReader.Type] = [
        PJSIPReader.self, FreeSWITCHReader.self, HomerJSONReader.self,
        NgrepReader.self, SngrepReader.self, PortalReader.self, RawSIPReader.self,
    ]

    public static func reader(for format: TraceFormat) -> any TraceReader.Type {
        readers.first { $0.format == format } ?? RawSIPReader.self
    }

    /// The best reader and its confidence, or nil when none reaches the threshold.
    public static func sniff(_ bytes: UnsafeBufferPointer<UInt8>) -> (reader: any TraceReader.Type, confidence: Double)? {
        let head = UnsafeBufferPointer(rebasing: bytes[0..<min(bytes.count, headBytes)])
        var best: (reader: any TraceReader.Type, confidence: Double)? = nil
        for reader in readers {
            let c = reader.confidence(head)
            if c > (best?.confidence ?? 0) { best = (reader, c) }
        }
        guard let best, best.confidence >= threshold else { return nil }
        return best
    }
}
