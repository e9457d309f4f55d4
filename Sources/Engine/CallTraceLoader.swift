import Diagnosis
import TraceFormats

/// Reads the trace of one call (or a whole trace) from a file or from
/// bytes, text or capture, the way `agentctl diagnose --call-id` does:
/// a capture keeps only the SIP that call may need (`CaptureLoader.Options`),
/// so a capture of gigabytes is read in tens of MB.
///
/// What the call needs is learnt pass by pass: its own messages first,
/// then the dialog-creating INVITEs around its own (a leg tied only by its
/// numbers and timing), then the messages of every leg found, until the
/// legs and the window stop changing. Text traces are filtered the same
/// way (all but Homer JSON, which is one document read whole).
///
/// Errors are `CallTraceError`, sorted for a program to branch on. A read
/// in a `Task` that is cancelled stops within a few thousand frames or a
/// thousand messages, milliseconds, with `.cancelled`.
public struct CallTraceLoader: Sendable {
    /// Ties the legs the passes look for, and diagnoses in `diagnose`.
    public var diagnoser: Diagnoser
    /// Forces a reader instead of sniffing the first bytes.
    public var format: TraceFormat?
    public var limits: TraceLimits
    /// Measure a capture's RTP and RTCP (off when only Call-IDs are wanted).
    public var measureMedia: Bool

    /// Reads (a window applied to held INVITEs counts as one) that may
    /// still find a leg or widen the window; a call whose legs keep
    /// growing past this is read with what was learnt.
    static let maxPasses = 5

    public init(diagnoser: Diagnoser = Diagnoser(), format: TraceFormat? = nil, limits: TraceLimits = TraceLimits(),
                measureMedia: Bool = true) {
        self.diagnoser = diagnoser
        self.format = format
        self.limits = limits
        self.measureMedia = measureMedia
    }

    /// The trace with what the call of `callID` needs (everything without
    /// a Call-ID). Throws `.notFound` with the Call-IDs present when the
    /// call is not there; a trace with no SIP at all (RTP only) is
    /// returned for the caller to say so.
    public func load(_ source: TraceSource, callID: String? = nil) async throws(CallTraceError) -> Trace {
        try read(source, callID: callID)
    }

    /// The diagnosis of the call of `callID`, legs and media included.
    public func diagnose(_ source: TraceSource, callID: String) async throws(CallTraceError) -> Diagnosis {
        try readDiagnosis(source, callID: callID)
    }

    /// `load` on the calling thread, for command-line tools; it stops as
    /// `load` does when the task it runs in is cancelled.
    public func read(_ source: TraceSource, callID: String? = nil) throws(CallTraceError) -> Trace {
        let margin = LegTier().numberWindow
        // The first read holds the INVITEs near the call's own, so that
        // the window they fall in needs no second read (`HeldInvites`).
        // Nor does it list the Call-IDs of a text trace's other calls until
        // the call turns out to be missing (`pass`).
        var options = CaptureLoader.Options(measureMedia: measureMedia, callIDs: callID.map { [$0] }, holdInvites: margin,
                                            listsSkippedCallIDs: false)
        var loaded = try pass(source, options)
        guard let callID, try holds(callID, loaded, source) else { return loaded }
        var reads = 1
        while reads < Self.maxPasses {
            let call: Call
            do {
                call = try diagnoser.call(callID, in: loaded)
            } catch {
                throw Self.error(error, trace: loaded, name: source.name)
            }
            let legs = Set(call.callIDs)
            let window = Self.inviteWindow(of: call, margin: margin)
            let wanted = options.callIDs ?? []
            if legs.isSubset(of: wanted) && window == options.inviteWindow { return loaded }
            let held = loaded.heldInvites
            loaded.heldInvites = nil
            options.holdInvites = nil
            options.inviteWindow = window
            // Only the window is new: what a read with it would add was held.
            if legs.isSubset(of: wanted), let window, let held, let widened = held.admitted(into: loaded, window: window) {
                loaded = widened
                reads += 1
                continue
            }
            options.callIDs = wanted.union(legs)
            loaded = try pass(source, options)
            reads += 1
            guard try holds(callID, loaded, source) else { return loaded }
        }
        return loaded
    }

    /// The Call-IDs of the trace with their message counts and first
    /// times (`agentctl calls`): a capture file is scanned by header, no
    /// message parsed or kept, no RTP measured.
    public func tally(_ source: TraceSource) throws(CallTraceError) -> CallTally {
        if Task.isCancelled { throw .cancelled(path: source.name) }
        do {
            switch source {
            case .file(let path):
                return try TraceLoader.tally(path: path, format: format, limits: limits)
            case .bytes(let bytes, let name):
                return CallTally(try TraceLoader.read(bytes: bytes, name: name, format: format,
                                                      capture: CaptureLoader.Options(measureMedia: false), limits: limits))
            }
        } catch {
            throw CallTraceError(error, name: source.name)
        }
    }

    /// `diagnose` on the calling thread.
    public func readDiagnosis(_ source: TraceSource, callID: String) throws(CallTraceError) -> Diagnosis {
        let trace = try read(source, callID: callID)
        do {
            return try diagnoser.diagnose(trace, callID: callID)
        } catch {
            throw Self.error(error, trace: trace, name: source.name)
        }
    }

    /// The span of the call's dialog-creating INVITEs, widened by the leg
    /// tie's window on both sides; nil without times (no tie by timing).
    public static func inviteWindow(of call: Call, margin: Double) -> ClosedRange<Double>? {
        let times = call.messages.filter { $0.message.method == "INVITE" && $0.message.to?.tag == nil }.compactMap(\.timestamp)
        guard let first = times.min(), let last = times.max() else { return nil }
        return (first - margin)...(last + margin)
    }

    private func pass(_ source: TraceSource, _ options: CaptureLoader.Options) throws(CallTraceError) -> Trace {
        let trace = try readOnce(source, options)
        // A text read that did not list the other Call-IDs and did not find
        // the calls: read again listing them, for the answer to "not found".
        guard !options.listsSkippedCallIDs, let ids = options.callIDs, !trace.format.isCapture,
              !trace.messages.contains(where: { $0.message.callID.map(ids.contains) == true }) else { return trace }
        var listing = options
        listing.listsSkippedCallIDs = true
        return try readOnce(source, listing)
    }

    private func readOnce(_ source: TraceSource, _ options: CaptureLoader.Options) throws(CallTraceError) -> Trace {
        // Between passes too: a cancelled task starts no new read.
        if Task.isCancelled { throw .cancelled(path: source.name) }
        do {
            switch source {
            case .file(let path):
                return try TraceLoader.load(path: path, format: format, capture: options, limits: limits)
            case .bytes(let bytes, let name):
                return try TraceLoader.read(bytes: bytes, name: name, format: format, capture: options, limits: limits)
            }
        } catch {
            throw CallTraceError(error, name: source.name)
        }
    }

    /// True when a message of the trace has the Call-ID (then a call holds
    /// it: every Call-ID is some call's leg); false when the trace holds no
    /// SIP at all (a capture of RTP alone: the caller shows what was
    /// measured). Asked of every message, not of the tied calls, so that a
    /// text trace is not tied twice.
    private func holds(_ callID: String, _ trace: Trace, _ source: TraceSource) throws(CallTraceError) -> Bool {
        let ids = diagnoser.callIDs(in: trace)
        if ids.contains(callID) { return true }
        if ids.isEmpty && trace.skippedCallIDs.isEmpty { return false }
        let kept = Set(ids)
        throw .notFound(callID: callID, available: ids + trace.skippedCallIDs.filter { !kept.contains($0) })
    }

    static func error(_ error: DiagnoseError, trace: Trace, name: String) -> CallTraceError {
        switch error {
        case .callIDNotFound(let id, let available):
            return .notFound(callID: id, available: available)
        case .noMessages:
            if let streams = trace.media?.streams, !streams.isEmpty {
                let n = streams.count
                return .unreadable(path: name, reason: .noSIP, message: "\(name) holds no SIP, only RTP (\(n) stream\(n == 1 ? "" : "s")); a call is diagnosed from its signalling, so capture the SIP port too")
            }
            return .unreadable(path: name, reason: .noSIP, message: "\(name): \(error.description)")
        }
    }
}
