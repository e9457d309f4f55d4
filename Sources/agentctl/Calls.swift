import ArgumentParser
import Diagnosis
import TraceFormats

/// `agentctl calls`: the Call-IDs of a trace or capture, the first thing
/// one wants from a big file (what `tshark -Y sip -e sip.Call-ID` gives,
/// counted).
struct Calls: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the Call-IDs in a trace or capture, with their SIP message counts and first times.",
        discussion: "A capture is scanned for SIP only (RTP is skipped, not measured), so this is the fast way to find the Call-ID to pass to diagnose or extract."
    )

    @Argument(help: "The trace or capture to read.")
    var trace: String

    @Option(name: .customLong("input-format"), help: ArgumentHelp("Read a text trace as this format instead of detecting it.", valueName: "format"))
    var inputFormat: TraceFormat?

    func run() throws {
        let loaded = try CommandTrace.load(trace, format: inputFormat, measureMedia: false)
        var order: [String] = []
        var counts: [String: (messages: Int, first: Double?)] = [:]
        for m in loaded.messages {
            guard let id = m.message.callID else { continue }
            if let c = counts[id] {
                counts[id] = (c.messages + 1, c.first)
            } else {
                order.append(id)
                counts[id] = (1, m.timestamp)
            }
        }
        var out = ""
        for id in order {
            let c = counts[id]!
            let time = c.first.map { LadderTime.clock($0) } ?? "-"
            out += "\(String(repeating: " ", count: max(0, 6 - String(c.messages).count)))\(c.messages)  \(time)  \(id)\n"
        }
        print(out, terminator: "")
        StandardError.print("\(order.count) Call-ID\(order.count == 1 ? "" : "s"), \(loaded.messages.count) SIP messages in \(trace)")
    }
}
