import ArgumentParser
import Diagnosis
import Engine
import TraceFormats

/// Reading a trace the way every command does, through the library's
/// `CallTraceLoader`; what is left here is the command line's side of its
/// errors: an `error:` line on stderr, and exit code 3 for a Call-ID not
/// in the trace, 2 for everything else.
enum CommandTrace {
    static func load(_ path: String, format: TraceFormat? = nil, callID: String? = nil, diagnoser: Diagnoser = Diagnoser(),
                     measureMedia: Bool = true, limits: TraceLimits = TraceLimits()) throws -> Trace {
        let loader = CallTraceLoader(diagnoser: diagnoser, format: format, limits: limits, measureMedia: measureMedia)
        do {
            return try loader.read(.file(path: path), callID: callID)
        } catch {
            StandardError.print("error: \(error.description)")
            throw ExitCode(exitCode(for: error))
        }
    }

    /// The Call-IDs of a trace, counted (`agentctl calls`); a capture is
    /// scanned without keeping a message.
    static func tally(_ path: String, format: TraceFormat? = nil) throws -> CallTally {
        do {
            return try CallTraceLoader(format: format, measureMedia: false).tally(.file(path: path))
        } catch {
            StandardError.print("error: \(error.description)")
            throw ExitCode(exitCode(for: error))
        }
    }

    /// README's table: 3 when the Call-ID is not there, 2 when the trace
    /// cannot be read.
    static func exitCode(for error: CallTraceError) -> Int32 {
        if case .notFound = error { return 3 }
        return 2
    }
}
