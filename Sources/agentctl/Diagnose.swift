import Agent
import ArgumentParser
import AgentConfig
import Diagnosis
import Integrations
import Store
import TraceFormats

/// `agentctl diagnose`: read a trace, explain what broke the call.
struct Diagnose: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain why a call in a SIP trace failed.",
        discussion: """
        Reads a text trace (portal, raw SIP, ngrep/sipgrep, sngrep export, \
        Asterisk pjsip logger, FreeSWITCH siptrace, Homer JSON) or a pcap/pcapng \
        capture, finds the first failure of the call and prints a verdict, the \
        ladder, the evidence and the suggested fix. From a capture it also \
        measures the call's RTP (loss, jitter, gaps, RTCP, a MOS estimate) and \
        proves one-way, missing or choppy audio from it.

        With --call-id, a capture keeps only the SIP that call may need, so \
        captures of several gigabytes are read in a few tens of MB.

        With --call-id and no trace file, the call is found by its Call-ID \
        alone: in the export directories (through the index `agentctl index` \
        keeps, else by scanning them), then on the configured Homer servers \
        and HTTP services. The verdict is cached in the database, keyed by \
        the call's Call-IDs, the digest of the bytes read and the engine \
        version, so a grown trace or a changed rule is diagnosed again.

        Without --call-id: a trace with one call is diagnosed; with several, \
        each is diagnosed in turn; with more than \(Diagnose.tableThreshold), \
        a one-line-per-call table is printed so you can pick one with --call-id.

        Exit codes:
          0  diagnosed (or the call table was printed)
          2  the trace could not be read (missing, empty, binary, an unreadable capture format, no SIP)
          3  the --call-id is not in the trace (the Call-IDs present are listed), or no source holds it
          64 a command-line option is wrong (for example a bad --peer)
        """
    )

    /// Above this many calls, explaining each one is more than anyone reads.
    static let tableThreshold = 20

    @Argument(help: "The trace file to read; leave it out to find the --call-id through the index and the configured sources.")
    var trace: String?

    @Option(name: .customLong("call-id"),
            help: ArgumentHelp("The Call-ID of the call to diagnose; its other legs are found and shown with it. A Call-ID that starts with - (Asterisk makes such) is given as --call-id=ID.", valueName: "ID"))
    var callID: String?

    @Option(help: "Output format: text (terminal), markdown (tickets and chat) or json (machines).")
    var format: OutputFormat = .text

    @Option(name: .customLong("peer"),
            help: ArgumentHelp("Name the participant at an address or range, like 203.0.113.0/24=SBC or 198.51.100.4=CARRIER. Repeat for several.",
                               valueName: "RANGE=NAME"))
    var peers: [String] = []

    @Option(name: .customLong("input-format"),
            help: ArgumentHelp("Read the trace as this format instead of detecting it.", valueName: "format"))
    var inputFormat: TraceFormat?

    @OptionGroup var options: AgentOptions

    func validate() throws {
        _ = try peerMap()
        if trace == nil && callID == nil {
            throw ValidationError("give a trace file, or --call-id ID to find the call through the index and the configured sources")
        }
        if trace == nil && inputFormat != nil {
            throw ValidationError("--input-format applies to a trace file; a call found by --call-id is read as its source serves it")
        }
    }

    func run() async throws {
        let configuration = try options.configuration()
        // The command line's names first: they win over the file's.
        var peers = try peerMap()
        peers.entries += configuration.peers.entries
        let diagnoser = Diagnoser(options: DiagnosisOptions(peers: peers))
        guard let trace else {
            // validate() made sure of a Call-ID.
            return try await find(callID ?? "", configuration, diagnoser)
        }
        let loaded = try CommandTrace.load(trace, format: inputFormat, callID: callID, diagnoser: diagnoser, limits: configuration.limits)
        for warning in loaded.warnings { StandardError.print("warning: \(warning)") }
        if loaded.messages.isEmpty, let streams = loaded.media?.streams, !streams.isEmpty {
            StandardError.print(mediaOnly(streams))
            throw ExitCode(2)
        }

        do {
            try explain(loaded, with: diagnoser)
        } catch {
            StandardError.print("error: \(error.description)")
            if case .callIDNotFound = error { throw ExitCode(3) }
            throw ExitCode(2)
        }
    }

    /// A capture of RTP without its SIP: no call to explain, but what was
    /// measured is worth showing.
    private func mediaOnly(_ streams: [RTPStream]) -> String {
        var text = "error: \(trace ?? "the trace") holds no SIP, only RTP (\(streams.count) stream\(streams.count == 1 ? "" : "s")); a call is diagnosed from its signalling, so capture the SIP port too. Measured:"
        for s in streams.prefix(10) {
            text += "\n  \(s.source) -> \(s.destination) SSRC \(s.ssrcText): \(s.packets) packets, lost \(s.lost) (\(FixedPoint.text(s.lossPercent, 1)) %), jitter mean \(FixedPoint.text(s.jitterMeanMs, 2)) ms, max \(FixedPoint.text(s.jitterMaxMs, 2)) ms"
        }
        if streams.count > 10 { text += "\n  ... and \(streams.count - 10) more" }
        return text
    }

    /// What to print for this trace, given `--call-id` or its absence.
    private enum Explanation {
        case one(Diagnosis)
        case several([Diagnosis])
        case table([Diagnosis])
    }

    private func explain(_ trace: Trace, with diagnoser: Diagnoser) throws(DiagnoseError) {
        switch try select(trace, with: diagnoser) {
        case .one(let d): print(render(d), terminator: "")
        case .several(let all): print(render(all), terminator: "")
        case .table(let all): printTable(all)
        }
    }

    private func select(_ trace: Trace, with diagnoser: Diagnoser) throws(DiagnoseError) -> Explanation {
        if let callID { return .one(try diagnoser.diagnose(trace, callID: callID)) }
        let ids = diagnoser.callIDs(in: trace)
        // One Call-ID, or none (diagnose then says the trace has no message).
        guard ids.count > 1 else { return .one(try diagnoser.diagnose(trace, callID: ids.first ?? "")) }
        let all = diagnoser.diagnoseAll(trace)
        if all.count > Self.tableThreshold { return .table(all) }
        return all.count == 1 ? .one(all[0]) : .several(all)
    }

    private func render(_ d: Diagnosis) -> String {
        switch format {
        case .text: return TextRenderer().render(d)
        case .markdown: return MarkdownRenderer().render(d)
        case .json: return JSONRenderer().render(d)
        }
    }

    private func render(_ all: [Diagnosis]) -> String {
        switch format {
        case .text: return TextRenderer().render(all)
        case .markdown: return MarkdownRenderer().render(all)
        case .json: return JSONRenderer().render(all)
        }
    }

    private func printTable(_ all: [Diagnosis]) {
        let entries = all.map(CallTable.Entry.init)
        let hint = "\(all.count) calls in \(trace ?? "the trace"); pick one with --call-id ID to see its explanation."
        switch format {
        case .json:
            print(JSONRenderer().render(calls: entries), terminator: "")
            StandardError.print(hint)
        case .markdown:
            print(hint + "\n\n```\n" + CallTable(entries).render() + "```")
        case .text:
            print(hint + "\n\n" + CallTable(entries).render(), terminator: "")
        }
    }

    /// The call found by its Call-ID alone, diagnosed (or its verdict
    /// taken from the cache) and printed.
    private func find(_ callID: String, _ configuration: AgentConfiguration, _ diagnoser: Diagnoser) async throws {
        let database = try options.open(configuration)
        defer { database.finishWrites() }
        let remembered = ((try? database.indexedDirectories.all()) ?? []).map(ExportDirectory.init)
        let configured = ConfiguredSources(configuration, index: database.traceIndex, remembered: remembered)
        for problem in configured.problems { StandardError.print("warning: \(problem)") }
        guard !configured.sources.isEmpty else {
            StandardError.print("error: nowhere to look for Call-ID \(callID): give the trace file, index an export directory (agentctl index /srv/exports), or configure exports, homer or http_sources (docs/configuration.md)")
            throw ExitCode(2)
        }
        switch await CallLookup(sources: configured.sources).find(callID) {
        case .notFound(let asked, let failures):
            for failure in failures { StandardError.print("error: \(failure)") }
            StandardError.print("error: no trace for Call-ID \(callID) in \(asked.joined(separator: "; "))"
                                + (failures.isEmpty ? "" : " (\(failures.count) could not be asked, above)")
                                + "; check the Call-ID, run agentctl index again if the call is newer than the last run, or give the trace file")
            throw ExitCode(failures.isEmpty ? 3 : 2)
        case .unreadable(let source, let reason):
            StandardError.print("error: \(source) holds the call but its trace cannot be read: \(reason)")
            throw ExitCode(2)
        case .found(let found, let source):
            StandardError.print("found in \(source): \(found.origin)")
            for warning in found.trace.warnings { StandardError.print("warning: \(warning)") }
            let diagnosis = try diagnosis(of: found, callID: callID, diagnoser, cache: database.diagnosisCache())
            print(render(diagnosis), terminator: "")
        }
    }

    /// From the cache when the same bytes were diagnosed by this engine
    /// before (the agent's `CachedDiagnoser`, so both answer alike).
    private func diagnosis(of found: FoundTrace, callID: String, _ diagnoser: Diagnoser, cache: any DiagnosisCache) throws -> Diagnosis {
        do {
            let result = try CachedDiagnoser(diagnoser: diagnoser, cache: cache).diagnose(found, callID: callID)
            if let problem = result.cacheProblem { StandardError.print("warning: \(problem)") }
            return result.diagnosis
        } catch {
            StandardError.print("error: \(error.description)")
            if case .callIDNotFound = error { throw ExitCode(3) }
            throw ExitCode(2)
        }
    }

    private func peerMap() throws -> PeerMap {
        do {
            return try PeerMap(parsing: peers)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
