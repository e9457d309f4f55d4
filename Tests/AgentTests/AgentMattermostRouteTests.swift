import Annotation
import Foundation
import HTTPClient
import Integrations
import Logging
import Testing
@testable import Agent

/// The listener's route for a Mattermost hook, with the recording stubbed:
/// a delivery the store could not take is answered 503 at once and its
/// reply is not handed to a request that is gone (the worker must post
/// it another way); a repeat is answered at once with an empty body; a
/// new one waits for the reply and answers it as a comment.
@Suite struct AgentMattermostRouteTests {
    static let token = "xn7gk3cd1fy8mqhbo5j5hq7yro"
    static let postID = "p0st1d00000000000000000000"
    static let channel = "chan0000000000000000000000"
    let client = CurlHTTPClient(options: HTTPClientOptions(connectTimeout: .seconds(2), timeout: .seconds(60), retry: .never), environment: [:])

    struct NoNetwork: HTTPSending {
        struct Sent: Error {}
        func send(_ request: HTTPRequest) async throws -> HTTPResponse { throw Sent() }
    }

    struct StoreDown: Error {}

    static func backend() throws -> MattermostBackend {
        try MattermostBackend(settings: .init(name: "mm-test", webhookToken: ResolvedSecret(token), answerWithin: .seconds(20)),
                              client: NoNetwork())
    }

    /// A listener with the hook's route, `accept` standing in for the agent's store.
    func withRoute(_ backend: MattermostBackend, accept: @escaping @Sendable () throws -> Bool,
                   _ body: (Int) async throws -> Void) async throws {
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let route = InboundRoute(path: "/mattermost/mm-test", backend: backend, logger: logger) { _, _ in try accept() }
        let listener = AgentListener(port: 0, metrics: AgentMetrics(), health: HealthBoard(backends: []), logger: logger, inbound: [route])
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task {
            defer { continuation.finish() }
            try await listener.run { continuation.yield($0) }
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await task.value
            return
        }
        do { try await body(port) } catch {
            task.cancel()
            _ = await task.result
            throw error
        }
        task.cancel()
        _ = await task.result
    }

    func webhook(_ port: Int) async throws -> HTTPResponse {
        let body = "token=\(Self.token)&channel_id=\(Self.channel)&channel_name=voice-ops&timestamp=1764690000&user_id=alice00000000000000000000a&user_name=alice&post_id=\(Self.postID)&text=Call-ID%3A+3b4c5d6f-603%40192.168.1.50"
        return try await client.send(HTTPRequest(method: "POST", url: "http://127.0.0.1:\(port)/mattermost/mm-test",
                                                 headers: [HTTPHeader("Content-Type", "application/x-www-form-urlencoded")], body: Array(body.utf8)))
    }

    static var thread: ConversationThread { ConversationThread(id: "\(channel) \(postID)", texts: []) }

    static var post: RenderedPost {
        let marker = AnnotationMarker(backend: "mm-test", thread: thread.id, callIDs: ["3b4c5d6f-603@192.168.1.50"], engineVersion: 1).text
        return RenderedPost(plain: "declined\n" + marker, formatted: "**declined**\n\n" + marker, markup: .markdown, marker: marker)
    }

    @Test func aDeliveryTheStoreCannotTakeIs503AndItsReplyGoesAnotherWay() async throws {
        let backend = try Self.backend()
        try await withRoute(backend, accept: { throw StoreDown() }) { port in
            let started = ContinuousClock.now
            let answer = try await webhook(port)
            #expect(answer.status == 503)
            #expect(ContinuousClock.now - started < .seconds(10))
            await #expect(throws: MattermostError.noWayToPost(postID: Self.postID)) {
                try await backend.send(Self.post, in: Self.thread)
            }
        }
    }

    @Test func aRepeatIsAnsweredAtOnceWithNothing() async throws {
        let backend = try Self.backend()
        try await withRoute(backend, accept: { false }) { port in
            let started = ContinuousClock.now
            let answer = try await webhook(port)
            #expect(answer.status == 200 && answer.body.isEmpty)
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }

    @Test func aNewDeliveryIsAnsweredWithTheReplyAsAComment() async throws {
        let backend = try Self.backend()
        try await withRoute(backend, accept: { true }) { port in
            async let answer = webhook(port)
            // The worker's post, as soon as the request waits.
            var posted: String?
            for _ in 0..<200 where posted == nil {
                try await Task.sleep(for: .milliseconds(50))
                posted = try? await backend.send(Self.post, in: Self.thread)
            }
            #expect(posted == "webhook-answer:\(Self.postID)")
            let response = try await answer
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
            #expect(object["response_type"] as? String == "comment")
            #expect((object["text"] as? String)?.hasPrefix("**declined**") == true)
        }
    }
}
