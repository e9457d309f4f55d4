import Annotation
import Foundation
import HTTPClient

/// A Request Tracker 5 queue over its REST2 API as a place where people
/// write Call-IDs and the agent answers. See docs/request-tracker.md.
public struct RequestTrackerBackend: ConversationBackend {
    public let name: String
    public let settings: Settings
    public var kind: ConversationKind { .tickets }
    public var postStyle: PostStyle { PostStyle(markup: settings.postMarkup, maxCharacters: settings.maxPostCharacters) }
    public var pollInterval: Duration { settings.pollInterval }
    private let client: any HTTPSending
    private let now: @Sendable () -> Date

    /// `now` is the clock the first poll's look-back counts from.
    public init(settings: Settings, client: any HTTPSending, now: @escaping @Sendable () -> Date = { Date() }) throws(RequestTrackerError) {
        self.settings = settings
        self.client = client
        self.now = now
        name = settings.name
    }

    public func poll(after cursor: String?) async throws -> ConversationPoll {
        throw RequestTrackerError.badSettings(reason: "not yet implemented")
    }

    public func findPost(marker: String, in thread: ConversationThread) async throws -> String? {
        throw RequestTrackerError.badSettings(reason: "not yet implemented")
    }

    public func post(_ post: RenderedPost, in thread: ConversationThread, idempotencyKey: String) async throws -> String {
        throw RequestTrackerError.badSettings(reason: "not yet implemented")
    }
}
