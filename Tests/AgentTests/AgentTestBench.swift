import Agent
import AgentConfig
import Annotation
import Diagnosis
import Foundation
import Integrations
import Logging
import Store
import TestSupport

/// A scratch world for one agent test: an inbox (tickets in, annotations
/// out), an export directory holding the fixture traces, a database; the
/// agent run in-process on it, or its configuration written for agentctl.
final class AgentTestBench: @unchecked Sendable {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = root.appendingPathComponent("Fixtures/inbox")

    let scratch: Scratch
    var inDirectory: String { scratch.path("tickets") }
    var outDirectory: String { scratch.path("annotations") }
    var exportsDirectory: String { scratch.path("exports") }
    var databasePath: String { scratch.path("agent.sqlite") }

    /// The fixture tickets and traces copied (`tickets` nil: all of them).
    init(tickets: [String]? = nil) throws {
        scratch = try Scratch()
        let fm = FileManager.default
        try fm.createDirectory(atPath: inDirectory, withIntermediateDirectories: true)
        try fm.createDirectory(atPath: outDirectory, withIntermediateDirectories: true)
        try fm.copyItem(atPath: Self.fixtures.appendingPathComponent("exports").path, toPath: exportsDirectory)
        // Settled: no export is being written.
        for name in try fm.contentsOfDirectory(atPath: exportsDirectory) {
            try fm.setAttributes([.modificationDate: Date().addingTimeInterval(-600)],
                                 ofItemAtPath: (exportsDirectory as NSString).appendingPathComponent(name))
        }
        let names = try tickets ?? fm.contentsOfDirectory(atPath: Self.fixtures.appendingPathComponent("tickets").path)
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }
        for name in names {
            try fm.copyItem(atPath: Self.fixtures.appendingPathComponent("tickets/\(name).json").path,
                            toPath: (inDirectory as NSString).appendingPathComponent("\(name).json"))
        }
    }

    /// Writes (or rewrites) a ticket file.
    func writeTicket(_ id: String, texts: [(author: String, body: String)], markup: String = "plain") throws {
        let object: [String: Any] = ["id": id, "title": "test \(id)",
                                     "texts": texts.enumerated().map { ["id": "\($0.offset)", "author": $0.element.author,
                                                                        "body": $0.element.body, "markup": markup] }]
        let data = try JSONSerialization.data(withJSONObject: object)
        let path = (inDirectory as NSString).appendingPathComponent("\(id).json")
        let temporary = path + ".part"
        try data.write(to: URL(fileURLWithPath: temporary))
        // Newer than the cursor even on a coarse clock.
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(2)], ofItemAtPath: temporary)
        _ = rename(temporary, path)
    }

    /// The annotation files of a ticket, oldest first.
    func posts(_ ticket: String) -> [String] {
        inbox().posts(in: ticket)
    }

    func postTexts(_ ticket: String) -> [String] {
        posts(ticket).compactMap { try? String(contentsOfFile: $0, encoding: .utf8) }
    }

    func inbox(name: String = "local", inDirectory: String? = nil) -> InboxBackend {
        InboxBackend(settings: InboxBackend.Settings(name: name, inDirectory: inDirectory ?? self.inDirectory,
                                                     outDirectory: outDirectory, pollInterval: .milliseconds(200)))
    }

    func database() throws -> StoreDatabase { try StoreDatabase(path: databasePath) }

    /// One `--once` run of the agent in this process.
    func runOnce(backends: [any ConversationBackend]? = nil, lease: Double = 30,
                 extraSources: [any CallTraceSource] = [], health: HealthBoard? = nil) async throws -> AgentService.Summary {
        let db = try database()
        defer { db.finishWrites() }
        let directory = ExportDirectory(path: exportsDirectory, maxFileBytes: 1 << 30, include: ["*"], settleSeconds: 0)
        let service = AgentService(
            settings: AgentService.Settings(concurrency: 3, lease: lease),
            backends: backends ?? [inbox()],
            sources: [ExportDirectorySource(directories: [directory], store: db.traceIndex)] + extraSources,
            diagnoser: CachedDiagnoser(diagnoser: Diagnoser(), cache: db.diagnosisCache()),
            database: db, renderer: AnnotationRenderer(redactor: try Redactor(rules: RedactionRules())),
            metrics: AgentMetrics(), health: health ?? HealthBoard(backends: (backends ?? [inbox()]).map(\.name)),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        return await service.run(once: true)
    }

    /// The configuration agentctl runs on in this world.
    func writeConfiguration(lease: String = "1s", pollInterval: String = "1s", extra: String = "") throws -> String {
        let yaml = """
        database: \(databasePath)
        exports:
          - path: \(exportsDirectory)
            settle_time: 1s
        inbox:
          - name: local
            path: \(inDirectory)
            out: \(outDirectory)
            poll_interval: \(pollInterval)
        agent:
          concurrency: 3
          lease: \(lease)
        listener:
          enabled: false
        \(extra)
        """
        let path = scratch.path("agent.yaml")
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
