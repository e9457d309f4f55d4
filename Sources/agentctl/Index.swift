import ArgumentParser
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

    @Option(help: ArgumentHelp("The database file (default: $XDG_DATA_HOME/agentctl/agentctl.sqlite, else ~/.local/share/agentctl/agentctl.sqlite).", valueName: "path"))
    var database: String?

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
        let dirs = try exportDirectories()
        let store: any TraceIndexStore
        do {
            let path = try database ?? DatabaseLocation.defaultPath(environment: ProcessInfo.processInfo.environment)
            store = try StoreDatabase(path: path).traceIndex
        } catch {
            StandardError.print("error: \(error)")
            throw ExitCode(2)
        }
        var indexer = ExportIndexer(store: store)
        if isatty(STDERR_FILENO) == 1 { indexer.progress = IndexProgress.show }
        let summary: IndexSummary
        do {
            summary = try indexer.index(dirs)
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

    /// The directories given, else the configuration's.
    private func exportDirectories() throws -> [ExportDirectory] {
        let given = directories.map {
            ExportDirectory(path: $0, maxFileBytes: Int64(maxFileMB) << 20, include: include.isEmpty ? ["*"] : include, settleSeconds: settleSeconds)
        }
        if !given.isEmpty { return given }
        let configured = try configuredExportDirectories()
        guard !configured.isEmpty else {
            throw ValidationError("no export directory to index: pass one (agentctl index /srv/exports) or configure export directories")
        }
        return configured
    }
}

/// The export directories of the configuration file. The configuration
/// is another piece of this issue; the lead wires it here at the merge.
/// Until then no directory is configured.
func configuredExportDirectories() throws -> [ExportDirectory] {
    []
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
