/// Someone who answers the agent's post often quotes it: Matrix clients
/// put the replied-to message in the reply's body as `> ` lines (and in
/// `<mx-reply>` of its HTML), mail clients quote the whole comment. Its
/// Call-IDs (every leg's, in code) are the agent's own words; read again
/// they would look like a new Call-ID set and earn a second post. So a
/// quoted block that carries an agent marker is dropped before extraction,
/// and so is an `<mx-reply>` block (see `HTMLText`).
enum AgentQuotes {
    static func removed(from lines: [TextLine]) -> [TextLine] {
        guard lines.contains(where: { MarkerScan.mentionsPrefix($0.bytes) }) else { return lines }
        var out: [TextLine] = []
        out.reserveCapacity(lines.count)
        var i = 0
        while i < lines.count {
            guard isQuoted(lines[i]) else { out.append(lines[i]); i += 1; continue }
            var j = i
            while j < lines.count && isQuoted(lines[j]) { j += 1 }
            let block = lines[i..<j]
            let joined = Array(block.map(\.bytes).joined(separator: [0x0A]))
            if MarkerScan.ids(in: joined).isEmpty { out += block }
            i = j
        }
        return out
    }

    /// A `>` line (spaces before it allowed).
    static func isQuoted(_ line: TextLine) -> Bool {
        for b in line.bytes {
            if b == 0x20 || b == 0x09 { continue }
            return b == UInt8(ascii: ">")
        }
        return false
    }
}
