import ArgumentParser
import TraceFormats

/// Reading a trace the way every command does: a file that cannot be read
/// is an `error:` line on stderr and exit code 2.
enum CommandTrace {
    static func load(_ path: String, format: TraceFormat? = nil, capture: CaptureLoader.Options = .init()) throws -> Trace {
        do {
            return try TraceLoader.load(path: path, format: format, capture: capture)
        } catch {
            StandardError.print("error: \(error.description)")
            throw ExitCode(2)
        }
    }
}
