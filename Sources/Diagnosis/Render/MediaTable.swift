/// The media figures as a compact monospace table for the text renderer:
/// one line of figures per stream, then its addresses and RTCP on an
/// indented line, all inside `width` columns.
struct MediaTable {
    var media: MediaSummary
    var width: Int

    static let columns: [(title: String, width: Int)] = [
        ("Codec", 6), ("Pkts", 7), ("Lost", 6), ("Loss%", 6), ("Jit ms", 7), ("Max ms", 7), ("Gap ms", 7), ("Dur s", 7), ("MOS*", 5),
    ]

    func lines() -> [String] {
        var out: [String] = []
        let nameWidth = max(12, min(28, width - 2 - Self.columns.reduce(0) { $0 + $1.width } - 1))
        if !media.streams.isEmpty {
            var header = "  " + Self.pad("From -> To", nameWidth)
            for c in Self.columns { header += Self.leftPad(c.title, c.width) }
            out.append(header)
            for s in media.streams {
                var row = "  " + Self.pad(LadderLayout.truncate("\(s.from) -> \(s.to)", to: nameWidth - 1), nameWidth)
                let cells = [Self.pad(LadderLayout.truncate(s.codec, to: 5), 5), String(s.packets), String(s.lost), Figure.text(s.lossPercent),
                             s.jitterMeanMs.map(Figure.text) ?? "-", s.jitterMaxMs.map(Figure.text) ?? "-",
                             Figure.text(s.largestGapMs), Figure.text(s.durationSeconds), Figure.text(s.mosEstimate)]
                for (c, cell) in zip(Self.columns, cells) {
                    row += c.title == "Codec" ? " " + cell : Self.leftPad(cell, c.width)
                }
                out.append(row)
                out += TextWrap.wrap(Self.details(s), width: width, first: "      ", rest: "      ")
            }
        }
        out += TextWrap.wrap(media.note + (media.streams.isEmpty ? "" : " (* MOS: estimate)"), width: width, first: "  ", rest: "  ")
        return out
    }

    /// `192.168.1.20:4000 -> 203.0.113.10:30000, SSRC 0x1234ABCD, 2 duplicated, RTCP: ...`.
    static func details(_ s: MediaStreamSummary) -> String {
        var parts = ["\(s.source) -> \(s.destination)"]
        if let adv = s.advertisedSource { parts.append("SDP said \(adv)") }
        parts.append("SSRC \(s.ssrc)")
        if s.duplicates > 0 { parts.append("\(s.duplicates) duplicated") }
        if s.outOfOrder > 0 { parts.append("\(s.outOfOrder) out of order") }
        if s.comfortNoisePackets > 0 { parts.append("\(s.comfortNoisePackets) comfort noise") }
        if let r = s.rtcp {
            var rtcp: [String] = []
            if let l = r.reportedLossPercent { rtcp.append("loss \(Figure.text(l)) %") }
            if let j = r.reportedJitterMs { rtcp.append("jitter \(Figure.text(j)) ms") }
            if let t = r.roundTripMs { rtcp.append("round trip \(Figure.text(t)) ms") }
            if let m = r.endpointMOS { rtcp.append("endpoint MOS-LQ \(Figure.text(m))") }
            if !rtcp.isEmpty { parts.append("RTCP reports " + rtcp.joined(separator: ", ")) }
        }
        return parts.joined(separator: ", ")
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
    static func leftPad(_ s: String, _ n: Int) -> String { s.count >= n ? " " + s : String(repeating: " ", count: n - s.count) + s }
}
