import Agent
import ArgumentParser
import AgentConfig
import Foundation
import Integrations
import Store

/// `agentctl index`: brings the trace index up to date with export
/// directories, so that a call is found by its Call-ID alone. Unchanged
/// files cost a `stat`; a run killed mid-way is resumed by the next one.
struct Index: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Index export directories (pcap, pcapng, text traces, .gz of any) so calls are found by Call-ID alone.",
        discussion: """
            Only new, grown, rotated or replaced files are read; deleted ones are dropped from the index. \
            Symlinks leading out of a directory and files over the size limit are refused, and a file still \
            being written is left for the next run. See docs/export-directories.md.
            """
    )

    @Argument(help: ArgumentHelp("Export directories to index.", valueName: "dir"))
    var directories: [String] = []

    @OptionGroup var options: AgentOptions

    @Option(name: .customLong("max-file-mb"), help: "Refuse files (and .gz streams) larger than this many MiB.")
    var maxFileMB: Int = Int(ExportDirectory.defaultMaxFileBytes >> 20)

    @Option(name: .customLong("include"), help: ArgumentHelp("Index only files matching this glob (repeatable; default every file).", valueName: "glob"))
    var include: [String] = []

    @Option(name: .customLong("settle-seconds"), help: "Seconds between the two looks that tell a settled file from one still being written.")
    var settleSeconds: Double = ExportDirectory.defaultSettleSeconds

    func validate() throws {
        guard maxFileMB > 0, maxFileMB <= 1 << 20 else { throw ValidationError("--max-file-mb must be 1...\(1 << 20)") }
        guard settleSeconds >= 0, settleSeconds <= 600 else { throw ValidationError("--settle-seconds must be 0...600") }
    }

    func run() throws {
        let configuration = try options.configuration()
        let database = try options.open(configuration)
        let dirs = try exportDirectories(configuration, remembered: database.indexedDirectories)
        var indexer = ExportIndexer(store: database.traceIndex)
        if isatty(STDERR_FILENO) == 1 { indexer.progress = IndexProgress.show }
        let summary: IndexSummary
        do {
            summary = try indexer.index(dirs)
            // Remembered so that `diagnose --call-id` with no configuration
            // knows these files may be read, and a bare `agentctl index`
            // brings them up to date again.
            if !directories.isEmpty {
                for d in dirs {
                    try database.indexedDirectories.remember(IndexedDirectory(
                        path: URL(fileURLWithPath: d.path).standardizedFileURL.path, maxFileBytes: d.maxFileBytes,
                        include: d.include, settleSeconds: d.settleSeconds, indexedAt: Date().timeIntervalSince1970))
                }
            }
        } catch {
            IndexProgress.clear()
            StandardError.print("error: \(error)")
            throw ExitCode(2)
        }
        IndexProgress.clear()
        for r in summary.refused { StandardError.print("refused \(r)") }
        for r in summary.unsettled { StandardError.print("not yet \(r)") }
        for w in summary.warnings { StandardError.print("warning: \(w)") }
        print(summary.line)
    }

    /// The directories given, else the configuration's, else those indexed
    /// before by hand.
    private func exportDirectories(_ configuration: AgentConfiguration, remembered: any IndexedDirectories) throws -> [ExportDirectory] {
        let given = directories.map {
            ExportDirectory(path: $0, maxFileBytes: Int64(maxFileMB) << 20, include: include.isEmpty ? ["*"] : include, settleSeconds: settleSeconds)
        }
        if !given.isEmpty { return given }
        let configured = configuration.exportDirectories.map(ConfiguredSources.exportDirectory)
        if !configured.isEmpty { return configured }
        let known = (try? remembered.all()) ?? []
        guard !known.isEmpty else {
            throw ValidationError("no export directory to index: pass one (agentctl index /srv/exports) or list them under exports: in the configuration (docs/configuration.md)")
        }
        return known.map(ExportDirectory.init)
    }
}

/// One line on stderr, rewritten in place, while a terminal watches.
enum IndexProgress {
    private nonisolated(unsafe) static var shown = false

    static func show(_ p: ExportIndexer.Progress) {
        guard let current = p.current else { return }
        let mb = Double(p.bytesRead) / 1e6
        let name = current.count > 60 ? "…" + current.suffix(59) : current
        let line = "\r\u{1B}[K[\(p.filesDone + 1)/\(p.filesDone + p.filesToRead)] \(IndexSummary.fixed(mb)) MB  \(name)"
        FileHandle.standardError.write(Data(line.utf8))
        shown = true
    }

    static func clear() {
        guard shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        shown = false
    }
}
