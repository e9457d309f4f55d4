import ArgumentParser
import Diagnosis
import TraceFormats

/// `agentctl extract`: one call out of a big capture, for a carrier
/// dispute or a vendor ticket.
struct Extract: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy one call (all its legs, its SIP and its RTP/RTCP) from a capture into a new pcap.",
        discussion: """
        The call's legs are found as `diagnose` finds them; every frame that \
        carried their SIP, and every frame of the RTP and RTCP streams tied \
        to them through their SDP, is copied unchanged with its original \
        time. The output is a pcap (a pcapng when the frames come from \
        interfaces of different link types). It is written under a temporary \
        name and renamed when complete.

        Exit codes:
          0  written
          2  the capture could not be read, or the output could not be written
          3  the --call-id is not in the capture (the Call-IDs present are listed)
        """
    )

    @Option(name: .customLong("call-id"), help: ArgumentHelp("The Call-ID of the call to copy.", valueName: "ID"))
    var callID: String

    @Argument(help: "The capture to read (pcap or pcapng).")
    var input: String

    @Argument(help: "The file to write.")
    var output: String

    func run() throws {
        let diagnoser = Diagnoser()
        let trace = try CommandTrace.load(input, callID: callID, diagnoser: diagnoser)
        guard trace.format.isCapture else {
            StandardError.print("error: \(input) is a text trace (\(trace.format.displayName)), not a capture; extract copies frames out of a pcap or pcapng")
            throw ExitCode(2)
        }
        let call: Call
        do {
            call = try diagnoser.call(callID, in: trace)
        } catch {
            StandardError.print("error: \(error.description)")
            throw ExitCode(error == .noMessages ? 2 : 3)
        }
        let media = diagnoser.media(of: call, in: trace)
        let selection = CallSelection(call: call, media: media).selection
        let summary: CaptureExtractor.Summary
        do {
            summary = try CaptureExtractor.extract(from: input, selection: selection, to: output)
        } catch {
            StandardError.print("error: \(error.description)")
            throw ExitCode(2)
        }
        let legs = call.legs.count, streams = media?.streams.count ?? 0
        print("wrote \(output) (\(summary.format.rawValue)): \(summary.frames) frames, \(call.messages.count) SIP messages in \(legs) leg\(legs == 1 ? "" : "s"), \(streams) RTP stream\(streams == 1 ? "" : "s")")
    }
}
