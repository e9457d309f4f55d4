import Annotation
import Foundation
import HTTPClient

/// A Mattermost team chat the agent answers in, through an outgoing
/// webhook: Mattermost POSTs each matching post (form or JSON) to the
/// agent's listener; the agent checks the hook's token, records the
/// post's Call-IDs as work, holds the request open for up to
/// `answerWithin` and answers it with the diagnosis as a thread reply
/// (`response_type: comment`). A reply not ready by then, or due after a
/// restart, goes through the REST API (`POST /api/v4/posts`) when an API
/// token is configured. See docs/mattermost.md.
public struct MattermostBackend: InboundBackend {
    public let name: String
    public let settings: Settings
    public var kind: ConversationKind { .chat }
    public var postStyle: PostStyle { PostStyle(markup: .markdown, maxCharacters: settings.maxCharacters) }
    /// Nothing to poll: Mattermost pushes. The agent's poll is a no-op.
    public var pollInterval: Duration { .seconds(60) }
    public var inboundPaths: [String] { [settings.path] }

    /// What `maxCharacters` may be: from the renderer's minimum to
    /// Mattermost's default `MaxPostSize` (16,383 runes; the renderer
    /// counts UTF-8 bytes, never fewer than runes).
    public static let characterLimits = 1_000...16_383
    /// Mattermost waits 30 s by default for the answer; the agent answers
    /// before that, with room for the answer to travel.
    public static let answerLimits = Duration.seconds(1)...Duration.seconds(25)

    let server: String?
    let rest: MattermostREST?
    let identity: MattermostIdentity
    let rendezvous = MattermostRendezvous()
    let extractor = CallIDExtractor()

    public init(settings: Settings, client: any HTTPSending) throws(MattermostError) {
        guard !settings.name.isEmpty else { throw .badSettings(reason: "the back-end needs a name (mattermost-noc)") }
        guard settings.path.hasPrefix("/"), settings.path.count > 1,
              settings.path.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/-_.".contains($0)) }) else {
            throw .badSettings(reason: "path '\(settings.path)' is not a listener path; write one like /mattermost/\(settings.name) (letters, digits, / - _ .)")
        }
        guard !settings.webhookToken.value.isEmpty else {
            throw .badSettings(reason: "the webhook token is empty; check the token_env or token_file the configuration points at (the token is on the outgoing webhook's page in Mattermost)")
        }
        guard Self.answerLimits.contains(settings.answerWithin) else {
            throw .badSettings(reason: "answer_within must be between 1 s and 25 s (below the server's OutgoingIntegrationRequestsTimeout, 30 s by default), not \(settings.answerWithin)")
        }
        guard Self.characterLimits.contains(settings.maxCharacters) else {
            throw .badSettings(reason: "max_characters must be between \(Self.characterLimits.lowerBound) and \(Self.characterLimits.upperBound) (Mattermost's MaxPostSize is 16383 characters), not \(settings.maxCharacters)")
        }
        switch (settings.serverURL, settings.apiToken) {
        case (let url?, let token?):
            guard !token.value.isEmpty else { throw .badSettings(reason: "the API token is empty; check api_token_env or api_token_file") }
            let server = try Self.server(url)
            self.server = server
            rest = MattermostREST(server: server, token: token, client: client)
        case (nil, nil):
            server = nil
            rest = nil
        case (nil, _?):
            throw .badSettings(reason: "an API token is given but no url; write url: https://chat.example.org (the server's address)")
        case (_?, nil):
            // A url alone is harmless: nothing is sent without a token.
            server = nil
            rest = nil
        }
        self.settings = settings
        name = settings.name
        identity = MattermostIdentity(rest: rest)
    }

    /// The base URL without a trailing slash or `/api/v4`.
    static func server(_ baseURL: String) throws(MattermostError) -> String {
        var url = baseURL.trimmingCharacters(in: .whitespaces)
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            throw .badSettings(reason: "url '\(baseURL)' is not an http:// or https:// address; write the server's address, e.g. https://chat.example.org")
        }
        if let range = url.range(of: "/api/v4") { url = String(url[..<range.lowerBound]) }
        while url.hasSuffix("/") { url.removeLast() }
        let afterScheme = url[url.index(url.firstIndex(of: ":")!, offsetBy: 3)...]
        let authority = afterScheme.prefix { $0 != "/" }
        guard !authority.isEmpty else { throw .badSettings(reason: "url '\(baseURL)' names no host") }
        guard !authority.contains("@") else {
            throw .badSettings(reason: "url names a user in the address; give the API token by reference (api_token_env or api_token_file)")
        }
        guard !url.contains("?"), !url.contains("#") else {
            throw .badSettings(reason: "url '\(baseURL)' has a query or fragment; write the server's address only")
        }
        return url
    }

    public func poll(after cursor: String?) async throws -> ConversationPoll {
        ConversationPoll(threads: [], cursor: nil)
    }
}
