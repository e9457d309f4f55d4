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

    /// The Call-IDs of a trace, counted (`agentctl calls`); a capture is
    /// scanned without keeping a message.
    static func tally(_ path: String, format: TraceFormat? = nil) throws -> CallTally {
        do {
            return try TraceLoader.tally(path: path, format: format)
        } catch {
            StandardError.print("error: \(error.description)")
            throw ExitCode(2)
        }
    }

    /// With a Call-ID, a capture or text trace keeps only the SIP that call
    /// may need (`CallFilter`), so a file of gigabytes is read in bounded
    /// memory. What it needs is learnt pass by pass: its own messages
    /// first, then the INVITEs around its own (a leg tied by numbers), then
    /// the other messages of every leg found; each pass is a scan at
    /// gigabytes a second. (A Homer JSON export is read whole.)
    static func load(_ path: String, format: TraceFormat? = nil, callID: String?, diagnoser: Diagnoser) throws -> Trace {
        var options = CaptureLoader.Options(callIDs: callID.map { [$0] })
        for _ in 0..<4 {
            let loaded = try load(path, format: format, capture: options)
            guard let callID, let wanted = options.callIDs,
                  let call = try? diagnoser.call(callID, in: loaded) else { return loaded }
            let legs = Set(call.callIDs)
            let window = inviteWindow(of: call, margin: LegTier().numberWindow)
            if legs.isSubset(of: wanted) && window == options.inviteWindow { return loaded }
            options.callIDs = wanted.union(legs)
            options.inviteWindow = window
        }
        return try load(path, format: format, capture: options)
    }

    /// The span of the call's dialog-creating INVITEs, widened by the leg
    /// tie's window on both sides; nil without times (no tie by timing).
    static func inviteWindow(of call: Call, margin: Double) -> ClosedRange<Double>? {
        let times = call.messages.filter { $0.message.method == "INVITE" && $0.message.to?.tag == nil }.compactMap(\.timestamp)
        guard let first = times.min(), let last = times.max() else { return nil }
        return (first - margin)...(last + margin)
    }
}
