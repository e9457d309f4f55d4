import ArgumentParser
import Diagnosis
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

    /// With a Call-ID, a capture keeps only the SIP that call may need, so
    /// a 2 GB capture is read in bounded memory; a leg found through
    /// another Call-ID has its own messages read in one more pass. Text
    /// traces are read whole.
    static func load(_ path: String, format: TraceFormat? = nil, callID: String?, diagnoser: Diagnoser) throws -> Trace {
        var wanted: Set<String>? = callID.map { [$0] }
        var passes = 0
        while true {
            let loaded = try load(path, format: format, capture: CaptureLoader.Options(callIDs: wanted))
            passes += 1
            guard let callID, let w = wanted, loaded.format.isCapture, passes < 3,
                  let call = try? diagnoser.call(callID, in: loaded) else { return loaded }
            let legs = Set(call.callIDs)
            if legs.isSubset(of: w) { return loaded }
            wanted = w.union(legs)
        }
    }
}
