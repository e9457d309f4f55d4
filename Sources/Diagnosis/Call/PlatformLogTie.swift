import SIPCore
import TraceFormats

/// A platform log line tied to a call, and what tied it.
public struct TiedLogLine: Sendable, Equatable {
    public enum TiedBy: String, Sendable, Codable, Equatable {
        /// The line quotes one of the call's Call-IDs.
        case callID = "call-id"
        /// It names a channel or session another line of the call names.
        case channel
        /// It sits between the call's messages: the platform logged it
        /// while handling the message before it.
        case adjacency
    }

    public var line: PlatformLogLine
    public var tiedBy: TiedBy
}

/// Ties a trace's platform log lines to its calls: by a Call-ID the line
/// quotes, then by a channel or session name already tied, then by where
/// the line sits (the call of the message read just before it, else the
/// one just after). A line that matches none (a console paste's lines
/// about other calls, before the first message) is left out.
enum PlatformLogTie {
    static func tie(_ log: [PlatformLogLine], messages: [CapturedMessage], calls: inout [Call]) {
        guard !log.isEmpty, !calls.isEmpty else { return }
        var callOfID = [String: Int]()
        for (c, call) in calls.enumerated() { for id in call.callIDs { callOfID[id] = c } }
        var callOfMessage = [Int: Int]()
        for m in messages { if let id = m.message.callID, let c = callOfID[id] { callOfMessage[m.index] = c } }
        // Searching every line for every Call-ID is quadratic; a console
        // paste holds a handful of calls, a big export is cut to one first.
        let searchable = callOfID.count <= 64 ? callOfID.filter { $0.key.count >= 6 }.sorted { $0.key < $1.key } : []

        var tied = [(call: Int, how: TiedLogLine.TiedBy)?](repeating: nil, count: log.count)
        var callOfChannel = [String: Int]()
        var elsewhere = Set<Int>()
        for (i, l) in log.enumerated() {
            let quoted: Int??
            if let id = l.callID { quoted = .some(callOfID[id]) }
            else if let hit = searchable.first(where: { l.text.contains($0.key) }) { quoted = .some(hit.value) }
            else { quoted = nil }
            guard let found = quoted else { continue }
            // A line quoting a Call-ID this trace does not hold is about
            // another call, wherever it sits.
            guard let c = found else { elsewhere.insert(i); continue }
            tied[i] = (c, .callID)
            if let ch = l.channel, callOfChannel[ch] == nil { callOfChannel[ch] = c }
        }
        for (i, l) in log.enumerated() where tied[i] == nil && !elsewhere.contains(i) {
            if let ch = l.channel, let c = callOfChannel[ch] { tied[i] = (c, .channel); continue }
            guard let c = callOfMessage[l.afterMessage] ?? callOfMessage[l.afterMessage + 1],
                  fits(l, calls[c]) else { continue }
            tied[i] = (c, .adjacency)
            if let ch = l.channel, callOfChannel[ch] == nil { callOfChannel[ch] = c }
        }
        for (i, t) in tied.enumerated() {
            guard let t else { continue }
            calls[t.call].platformLog.append(TiedLogLine(line: log[i], tiedBy: t.how))
        }
    }

    /// A FreeSWITCH channel (`sofia/internal/1009@192.168.1.70`) names a
    /// user: a line about a user the call's From, To and Request-URI do
    /// not name is about another call, even between this call's messages.
    static func fits(_ l: PlatformLogLine, _ call: Call) -> Bool {
        guard let r = l.text.range(of: "sofia/") else { return true }
        let channel = l.text[r.lowerBound...].prefix { $0 != " " }
        guard let at = channel.firstIndex(of: "@"), let slash = channel[..<at].lastIndex(of: "/") else { return true }
        let user = channel[channel.index(after: slash)..<at]
        guard !user.isEmpty else { return true }
        return call.messages.contains { m in
            let users = [m.message.from?.uri?.user, m.message.to?.uri?.user, m.message.requestURI.flatMap(SIPURI.init)?.user]
            return users.contains { $0.map { !$0.isEmpty && ($0 == user || $0.hasSuffix(user) || user.hasSuffix($0)) } == true }
        }
    }
}
