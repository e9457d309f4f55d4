/// The monospace call ladder, shared by the text and Markdown renderers.
///
/// ```
///                          PHONE                   CORE                   CARRIER
///                     10.10.1.50:5060          10.0.0.5:5060         203.0.113.9:5060
///                            |                       |                       |
/// 02:13:07.103 #1            |---- INVITE (SDP) ---->|                       |
/// 02:13:07.123 #3            |                       |---- INVITE (SDP) ---->|
/// 02:13:07.403 #4            |                       |<-- 180 Ringing x3 ----|
/// 02:13:07.612 #5            |                       |<--- 486 Busy Here ----| <== first failure
/// ```
///
/// One column per participant, its name centred over its lifeline and its
/// address under the name; one line per `LadderRow`. The column width is
/// chosen from the participant count so that four participants fit in
/// `maxWidth` (100) columns, marker included; labels that do not fit are
/// cut, keeping the `(SDP)` and `xN` marks, which matter more than the tail
/// of a reason phrase.
public struct LadderLayout: Sendable {
    public var participants: [Participant]
    public var rows: [LadderRow]
    public var maxWidth: Int

    public static let firstFailureMarker = " <== first failure"

    public init(participants: [Participant], rows: [LadderRow], maxWidth: Int = 100) {
        self.participants = participants
        self.rows = rows
        self.maxWidth = maxWidth
    }

    /// The label drawn on a row's arrow: `INVITE (SDP)`, `180 Ringing x3`.
    public static func label(for row: LadderRow) -> String {
        row.label + suffix(for: row)
    }

    static func suffix(for row: LadderRow) -> String {
        (row.hasSDP ? " (SDP)" : "") + (row.count > 1 ? " x\(row.count)" : "")
    }

    /// The ladder as lines, trailing spaces trimmed.
    public func lines() -> [String] {
        let n = participants.count
        guard n > 0 else {
            return rows.map { "\(timeText($0)) #\($0.messageIndex) \(Self.label(for: $0))" + marker($0) }
        }
        let geometry = Geometry(layout: self)
        var out: [String] = []
        if let dates = dateLine() { out.append(dates) }
        out.append(headerLine(geometry) { $0.name })
        // Participants named by their address need no second line for it.
        if participants.contains(where: { $0.address != nil && $0.address != $0.name }) {
            out.append(headerLine(geometry) { $0.address == $0.name ? "" : $0.address ?? "" })
        }
        var blank = geometry.emptyLine()
        out.append(Self.trimmed(&blank))
        for row in rows { out.append(rowLine(row, geometry)) }
        return out
    }

    // MARK: - Geometry

    struct Geometry {
        let timeWidth: Int
        let indexWidth: Int
        let columnWidth: Int
        let count: Int

        init(layout: LadderLayout) {
            let hasTime = layout.rows.contains { $0.time != nil }
            timeWidth = hasTime ? 13 : 0 // "14:22:01.103 "
            let widestIndex = layout.rows.map { "#\($0.messageIndex)".count }.max() ?? 2
            indexWidth = widestIndex + 1
            count = layout.participants.count
            let available = layout.maxWidth - timeWidth - indexWidth
            let marker = LadderLayout.firstFailureMarker.count
            // The widest line is either the header (n full columns) or a
            // marked row, which ends one past the last lifeline.
            let byHeader = available / count
            let byMarker = 2 * (available - marker - 1) / (2 * count - 1)
            columnWidth = max(8, min(24, byHeader, byMarker))
        }

        var prefix: Int { timeWidth + indexWidth }
        var width: Int { prefix + count * columnWidth }
        func lifeline(_ i: Int) -> Int { prefix + columnWidth / 2 + i * columnWidth }

        func emptyLine() -> [Character] {
            var line = [Character](repeating: " ", count: width)
            for i in 0..<count { line[lifeline(i)] = "|" }
            return line
        }
    }

    // MARK: - Lines

    private func dateLine() -> String? {
        let dates = rows.compactMap { $0.time.flatMap(LadderTime.utcDate) }
        guard let first = dates.first, let last = dates.last else { return nil }
        return first == last ? "Times in UTC, \(first)." : "Times in UTC, \(first) to \(last)."
    }

    private func headerLine(_ g: Geometry, _ text: (Participant) -> String) -> String {
        var line = [Character](repeating: " ", count: g.width)
        for (i, p) in participants.enumerated() {
            let s = Array(Self.truncate(text(p), to: g.columnWidth - 1))
            let start = max(g.prefix, g.lifeline(i) - s.count / 2)
            Self.write(s, at: start, into: &line)
        }
        return Self.trimmed(&line)
    }

    private func rowLine(_ row: LadderRow, _ g: Geometry) -> String {
        var line = g.emptyLine()
        Self.write(Array(timeText(row)), at: 0, into: &line)
        Self.write(Array("#\(row.messageIndex)"), at: g.timeWidth, into: &line)
        let valid = participants.indices
        if valid.contains(row.from), valid.contains(row.to), row.from != row.to {
            drawArrow(row, g, into: &line)
        } else if valid.contains(row.from), row.from == row.to {
            // A participant talking to itself, or to an address the
            // diagnosis folded into it: mark it beside its lifeline.
            // On the last column the label may use the room up to the
            // line limit, less the marker if the row carries one.
            let x = g.lifeline(row.from)
            let end = row.from + 1 < g.count ? g.lifeline(row.from + 1) : max(g.width, maxWidth - marker(row).count)
            if end > line.count { line += [Character](repeating: " ", count: end - line.count) }
            let room = end - x - 1
            Self.write(Array(Self.fit(row, room: room, prefix: "<> ")), at: x + 1, into: &line)
        } else {
            // An index outside the participant list: no arrow can be drawn,
            // but the message is still shown, in words.
            for x in g.prefix..<line.count { line[x] = " " }
            let room = g.width - g.prefix
            Self.write(Array(Self.fit(row, room: room, prefix: "(participant unknown) ")), at: g.prefix, into: &line)
        }
        var text = Self.trimmed(&line)
        let mark = marker(row)
        if !mark.isEmpty, text.count + mark.count > maxWidth {
            text = String(text.prefix(max(0, maxWidth - mark.count)))
        }
        return text + mark
    }

    private func drawArrow(_ row: LadderRow, _ g: Geometry, into line: inout [Character]) {
        let a = g.lifeline(row.from), b = g.lifeline(row.to)
        let lo = min(a, b), hi = max(a, b)
        for x in (lo + 1)..<hi { line[x] = "-" }
        let rightward = b > a
        line[rightward ? hi - 1 : lo + 1] = rightward ? ">" : "<"
        let inner = hi - lo - 1
        let label = Self.label(for: row)
        // Centred with a dash each side and spaces around it when there is
        // room; when tight, the label runs from the tail to the head, and
        // only then is it cut.
        if label.count + 2 <= inner - 3 {
            Self.write(Array(" " + label + " "), at: lo + 1 + (inner - label.count - 2) / 2, into: &line)
        } else if label.count <= inner - 3 {
            Self.write(Array(label), at: lo + 1 + (inner - label.count) / 2, into: &line)
        } else {
            let text = Self.fit(row, room: inner - 2, prefix: "")
            Self.write(Array(text), at: rightward ? lo + 1 : lo + 2, into: &line)
        }
    }

    private func timeText(_ row: LadderRow) -> String {
        row.time.map(LadderTime.clock) ?? ""
    }

    private func marker(_ row: LadderRow) -> String {
        row.isFirstFailure ? Self.firstFailureMarker : ""
    }

    // MARK: - Text helpers

    /// `prefix + label + suffix` in `room` characters, cutting the label
    /// before the `(SDP)`/`xN` suffix.
    static func fit(_ row: LadderRow, room: Int, prefix: String) -> String {
        guard room > 0 else { return "" }
        let suffix = suffix(for: row)
        let full = prefix + row.label + suffix
        if full.count <= room { return full }
        let labelRoom = room - prefix.count - suffix.count
        if labelRoom >= 2 { return prefix + truncate(row.label, to: labelRoom) + suffix }
        return truncate(full, to: room)
    }

    /// Cuts to `n` characters, ending with `…` when anything was cut.
    public static func truncate(_ s: String, to n: Int) -> String {
        guard n > 0 else { return "" }
        guard s.count > n else { return s }
        return String(s.prefix(n - 1)) + "…"
    }

    private static func write(_ s: [Character], at start: Int, into line: inout [Character]) {
        for (k, c) in s.enumerated() where start + k >= 0 && start + k < line.count {
            line[start + k] = c
        }
    }

    private static func trimmed(_ line: inout [Character]) -> String {
        while let last = line.last, last == " " { line.removeLast() }
        return String(line)
    }
}
