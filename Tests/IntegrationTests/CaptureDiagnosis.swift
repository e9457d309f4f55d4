import Diagnosis
import Engine
import TraceFormats

/// The one place the suite turns a capture into a diagnosis of one call,
/// the way the agent does: through the library's entry point, reading
/// only what the Call-ID needs. The trace comes back too, to read the
/// first failure's message (its CSeq method).
func diagnose(capture path: String, callID: String) throws -> (trace: Trace, diagnosis: Diagnosis) {
    let loader = CallTraceLoader()
    let trace = try loader.read(.file(path: path), callID: callID)
    return (trace, try loader.diagnoser.diagnose(trace, callID: callID))
}

/// The first failure as a VoIP engineer names it: status and method
/// (`486 INVITE`), or the unanswered request alone (`INVITE`).
struct FailurePoint: Equatable, CustomStringConvertible {
    var status: Int?
    var method: String?

    init(status: Int?, method: String?) {
        self.status = status
        self.method = method
    }

    /// The message the diagnosis points at, read back from the trace.
    init?(_ diagnosis: Diagnosis, in trace: Trace) {
        guard let ref = diagnosis.firstFailure,
              let m = trace.messages.first(where: { $0.index == ref.messageIndex })?.message else { return nil }
        self.init(status: m.statusCode, method: m.method ?? m.cseq?.method)
    }

    var description: String { [status.map(String.init), method].compactMap { $0 }.joined(separator: " ") }
}
