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
        let tally = try CommandTrace.tally(trace, format: inputFormat)
        var out = ""
        for c in tally.entries {
            let time = c.firstTimestamp.map { LadderTime.clock($0) } ?? "-"
            out += "\(String(repeating: " ", count: max(0, 6 - String(c.messages).count)))\(c.messages)  \(time)  \(c.callID)\n"
        }
        print(out, terminator: "")
        StandardError.print("\(tally.entries.count) Call-ID\(tally.entries.count == 1 ? "" : "s"), \(tally.messages) SIP messages in \(trace)")
    }
}
