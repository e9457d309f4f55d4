import Agent
import Annotation
import Foundation
import HTTPClient
import Integrations
import Store
import TestSupport
import Testing

/// The loop in-process against the local inbox and the fixture exports:
/// one annotation per ticket and Call-ID set, never a second, a new one
/// when a reply adds a Call-ID, silence only for an unmarked candidate no
/// source knows, and a failing back-end that does not stop the others.
@Suite struct AgentLoopTests {
    @Test func eachTicketGetsOneAnnotationAndASecondRunPostsNothing() async throws {
        let bench = try AgentTestBench(tickets: ["ticket-101", "ticket-103", "ticket-105"])
        let first = try await bench.runOnce()
        #expect(first.posted == 3, "\(first)")
        for ticket in ["ticket-101", "ticket-103", "ticket-105"] {
            let texts = bench.postTexts(ticket)
            #expect(texts.count == 1, "\(ticket): \(bench.posts(ticket))")
            // The post carries its marker, so a crashed agent finds it.
            #expect(texts.first.map { !AnnotationMarker.markers(in: $0).isEmpty || $0.contains("sipdiag") } == true)
        }
        // The Call-ID each ticket named is what was diagnosed.
        #expect(bench.postTexts("ticket-101").first?.contains("0c5d8e2f-403-cos@192.168.1.50") == true)
        #expect(bench.postTexts("ticket-105").first?.contains("3b4c5d6f-603@192.168.1.50") == true)

        let second = try await bench.runOnce()
        #expect(second.posted == 0 && second.foundEarlier == 0, "\(second)")
        for ticket in ["ticket-101", "ticket-103", "ticket-105"] { #expect(bench.posts(ticket).count == 1) }
    }

    @Test func theLedgerAndJournalSayWhatWasFound() async throws {
        let bench = try AgentTestBench(tickets: ["ticket-101", "ticket-103"])
        _ = try await bench.runOnce()
        let db = try bench.database()
        let journal = db.agentJournal()
        let ledger = db.ledger()
        let diagnosed = try #require(try journal.works(thread: "ticket-101", backend: "local").first)
        #expect(diagnosed.callIDs == ["0c5d8e2f-403-cos@192.168.1.50"])
        #expect(diagnosed.markedCallIDs == ["0c5d8e2f-403-cos@192.168.1.50"])
        #expect(try ledger.item(diagnosed.key)?.state == .posted)
        #expect(try journal.findings(diagnosed.key)?.contains("\"diagnosed\"") == true)
        #expect(try journal.post(diagnosed.key)?.marker.isEmpty == false)

        let noTrace = try #require(try journal.works(thread: "ticket-103", backend: "local").first)
        #expect(try journal.findings(noTrace.key)?.contains("\"no-trace\"") == true)
        #expect(try ledger.item(noTrace.key)?.state == .posted)
    }

    /// A capture API (trace_http.py over loopback, asked through the real
    /// HTTPTraceSource and libcurl) that holds the call but answers its
    /// sign-in page instead of the trace: what an expired session of a
    /// vendor portal looks like.
    final class SignInPageService: @unchecked Sendable {
        let server: PythonServerProcess
        let source: HTTPTraceSource
        private let page: URL

        init() throws {
            page = FileManager.default.temporaryDirectory.appendingPathComponent("sign-in-\(UUID().uuidString).html")
            try Data("<html><head><title>Session expired</title></head><body><h1>Please sign in</h1></body></html>\n".utf8).write(to: page)
            let script = AgentTestBench.root.appendingPathComponent("Tests/IntegrationsTests/Servers/trace_http.py").path
            server = try PythonServerProcess(script: script, arguments: ["--call", "77aa11bb-corrupt@198.51.100.7=" + page.path])
            source = try HTTPTraceSource(settings: HTTPTraceSource.Settings(
                url: CallURLTemplate("http://127.0.0.1:\(server.firstLine)/calls/{callid}/trace"), name: "capture-api"),
                client: CurlHTTPClient(environment: [:]))
        }

        deinit {
            server.stop()
            try? FileManager.default.removeItem(at: page)
        }
    }

    @Test func aTraceThatCannotBeReadIsSaidSoNeverSilence() async throws {
        let bench = try AgentTestBench(tickets: ["ticket-104"])
        let service = try SignInPageService()
        let summary = try await bench.runOnce(extraSources: [service.source])
        #expect(summary.posted == 1, "\(summary)")
        let db = try bench.database()
        let work = try #require(try db.agentJournal().works(thread: "ticket-104", backend: "local").first)
        #expect(try db.agentJournal().findings(work.key)?.contains("\"unreadable\"") == true)
        let text = try #require(bench.postTexts("ticket-104").first)
        // Says what was wrong and what to attach instead.
        #expect(text.contains("77aa11bb-corrupt@198.51.100.7"))
        #expect(text.lowercased().contains("pcap"))
        #expect(text.contains("holds no SIP message"), "says what the service answered: \(text)")
        // Nothing is retried: the answer is given.
        #expect(try await bench.runOnce(extraSources: [service.source]).posted == 0)
        #expect(bench.posts("ticket-104").count == 1)
    }

    @Test func aReplyThatAddsACallIDIsAnsweredForItAlone() async throws {
        let bench = try AgentTestBench(tickets: [])
        try bench.writeTicket("ticket-7", texts: [("ops@example.net", "Failing call.\nCall-ID: 0c5d8e2f-403-cos@192.168.1.50")])
        #expect(try await bench.runOnce().posted == 1)
        // The same ticket polled again with an unrelated reply: nothing new.
        try bench.writeTicket("ticket-7", texts: [("ops@example.net", "Failing call.\nCall-ID: 0c5d8e2f-403-cos@192.168.1.50"),
                                                  ("ops@example.net", "Any news?")])
        #expect(try await bench.runOnce().posted == 0)
        #expect(bench.posts("ticket-7").count == 1)
        // A reply naming another call: one more annotation, for it alone.
        try bench.writeTicket("ticket-7", texts: [("ops@example.net", "Failing call.\nCall-ID: 0c5d8e2f-403-cos@192.168.1.50"),
                                                  ("ops@example.net", "Any news?"),
                                                  ("ops@example.net", "Another one:\nCall-ID: 3b4c5d6f-603@192.168.1.50")])
        #expect(try await bench.runOnce().posted == 1)
        let texts = bench.postTexts("ticket-7")
        #expect(texts.count == 2)
        #expect(texts.last?.contains("3b4c5d6f-603@192.168.1.50") == true)
        #expect(texts.last?.contains("0c5d8e2f-403-cos") == false)
    }

    @Test func anUnmarkedCandidateNoSourceKnowsIsDroppedQuietly() async throws {
        let bench = try AgentTestBench(tickets: [])
        // A bare UUID in passing, not called a Call-ID, in no trace.
        try bench.writeTicket("ticket-8", texts: [("ops@example.net", "Order 5d0c8a3e-8f1b-4c7e-9a2d-6b3f1e0c9d7a shipped, thanks.")])
        let summary = try await bench.runOnce()
        #expect(summary.posted == 0)
        #expect(bench.posts("ticket-8").isEmpty)
    }

    @Test func theAgentsOwnPostIsNeverReadAsSomeonesText() async throws {
        let bench = try AgentTestBench(tickets: [])
        let marker = AnnotationMarker(backend: "local", thread: "ticket-9", callIDs: ["3b4c5d6f-603@192.168.1.50"], engineVersion: 3)
        // A ticket system that copies the agent's comment into the ticket.
        try bench.writeTicket("ticket-9", texts: [("sipdiag", "Diagnosis of Call-ID: 3b4c5d6f-603@192.168.1.50\n\n\(marker.text)")])
        #expect(try await bench.runOnce().posted == 0)
        #expect(bench.posts("ticket-9").isEmpty)
    }

    @Test func aFailingBackendDoesNotHoldUpTheOthers() async throws {
        let bench = try AgentTestBench(tickets: ["ticket-101"])
        let broken = bench.inbox(name: "broken", inDirectory: bench.scratch.path("no-such-folder"))
        let health = HealthBoard(backends: ["broken", "local"])
        let summary = try await bench.runOnce(backends: [broken, bench.inbox()], health: health)
        #expect(summary.posted == 1)
        #expect(bench.posts("ticket-101").count == 1)
        // /healthz says which one failed, and why.
        let board = await health.snapshot()
        let brokenHealth = try #require(board.first { $0.name == "broken" })
        #expect(brokenHealth.lastError?.contains("no-such-folder") == true)
        #expect(brokenHealth.lastSuccess == nil)
        #expect(board.first { $0.name == "local" }?.lastSuccess != nil)
    }
}
