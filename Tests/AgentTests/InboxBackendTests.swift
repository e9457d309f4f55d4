import Annotation
import Foundation
import Integrations
import Testing
import TestSupport

/// The local inbox: ticket files in (cursor, bad files skipped and named),
/// posts out (atomic, one file each, found again by marker).
@Suite struct InboxBackendTests {
    @Test func pollsEachTicketOnceUntilItChanges() async throws {
        let bench = try AgentTestBench(tickets: ["ticket-101", "ticket-105"])
        let inbox = bench.inbox()
        let first = try await inbox.poll(after: nil)
        #expect(Set(first.threads.map(\.id)) == ["ticket-101", "ticket-105"])
        let reply = try #require(first.threads.first { $0.id == "ticket-105" })
        #expect(reply.texts.count == 2 && reply.title == "Reception can't reach extension 2002")
        let second = try await inbox.poll(after: first.cursor)
        #expect(second.threads.isEmpty)
        try bench.writeTicket("ticket-101", texts: [("a@example.net", "again")])
        let third = try await inbox.poll(after: second.cursor ?? first.cursor)
        #expect(third.threads.map(\.id) == ["ticket-101"])
    }

    @Test func aBadFileIsSkippedAndNamedAndTheOthersRead() async throws {
        let bench = try AgentTestBench(tickets: ["ticket-101"])
        try "{\"id\": \"x\", \"texts\": [".write(toFile: bench.scratch.path("tickets/broken.json"), atomically: true, encoding: .utf8)
        try "{\"id\": \"../../etc\", \"body\": \"x\"}".write(toFile: bench.scratch.path("tickets/escape.json"), atomically: true, encoding: .utf8)
        try "{\"title\": \"no text\"}".write(toFile: bench.scratch.path("tickets/empty.json"), atomically: true, encoding: .utf8)
        let problems = Problems()
        let inbox = InboxBackend(settings: bench.inbox().settings) { problems.add($0.description) }
        let poll = try await inbox.poll(after: nil)
        #expect(poll.threads.map(\.id) == ["ticket-101"])
        let said = problems.all.joined(separator: "\n")
        #expect(said.contains("broken.json is skipped: it is not JSON"))
        #expect(said.contains("escape.json is skipped: its id \"../../etc\" is not usable"))
        #expect(said.contains("empty.json is skipped: it has no text"))
    }

    @Test func aMissingInFolderIsAClearError() async throws {
        let bench = try AgentTestBench(tickets: [])
        let inbox = bench.inbox(inDirectory: bench.scratch.path("nowhere"))
        await #expect(throws: InboxError.missingDirectory(bench.scratch.path("nowhere"), role: "in")) {
            _ = try await inbox.poll(after: nil)
        }
    }

    @Test func eachPostIsAFileOfItsOwnFoundAgainByItsMarker() async throws {
        let bench = try AgentTestBench(tickets: [])
        let inbox = bench.inbox()
        let thread = ConversationThread(id: "ticket-1", texts: [])
        let post = RenderedPost(plain: "plain sipdiag:abc", formatted: "**md** sipdiag:abc", markup: .markdown, marker: "sipdiag:abc")
        #expect(try await inbox.findPost(marker: "sipdiag:abc", in: thread) == nil)
        let id = try await inbox.post(post, in: thread, idempotencyKey: "abc")
        #expect(try await inbox.findPost(marker: "sipdiag:abc", in: thread) == id)
        #expect(try await inbox.findPost(marker: "sipdiag:other", in: thread) == nil)
        // Not idempotent by itself: a second post is a second file, so a
        // duplicate the agent made would show.
        _ = try await inbox.post(post, in: thread, idempotencyKey: "abc")
        #expect(bench.posts("ticket-1").count == 2)
        #expect(bench.postTexts("ticket-1").allSatisfy { $0 == "**md** sipdiag:abc" })
        // No temporary file is left behind.
        let names = try FileManager.default.contentsOfDirectory(atPath: bench.scratch.path("annotations/ticket-1"))
        #expect(names.allSatisfy { !$0.hasPrefix(".") })
        await #expect(throws: InboxError.unusableThread("../x")) {
            _ = try await inbox.post(post, in: ConversationThread(id: "../x", texts: []), idempotencyKey: "k")
        }
    }
}

final class Problems: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
}
