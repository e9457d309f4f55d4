import Annotation
import Foundation
import HTTPClient

/// A Matrix homeserver as a chat the agent listens and answers in: it
/// logs in with a fixed device id, long-polls `/sync` with a filter,
/// joins the rooms it is invited to, turns other people's messages into
/// threads (one per thread root) and answers each in its thread as an
/// `m.notice` with a plain and an HTML body, its transaction id the
/// agent's idempotency key. See docs/matrix.md.
public struct MatrixBackend: ConversationBackend {
    public let name: String
    public let settings: Settings
    public var kind: ConversationKind { .chat }
    public var postStyle: PostStyle { PostStyle(markup: .html, maxCharacters: settings.maxCharacters) }
    /// `/sync` waits on the server, so the agent need not wait between polls.
    public var pollInterval: Duration { .zero }

    /// What `maxCharacters` may be, in UTF-8 bytes of each body (the
    /// renderer counts bytes): from the renderer's minimum (1,000; a real
    /// call's headline, failure and fix need 700 to 850) to what two
    /// bodies, their JSON escapes (a ladder's line breaks) and the event's
    /// own fields fit in Synapse's 65,536-byte event.
    public static let characterLimits = 1_000...28_000

    let server: String
    let session: MatrixSession
    let joins: MatrixRecentJoins

    public init(settings: Settings, client: any HTTPSending) throws(MatrixError) {
        try self.init(settings: settings, client: client, joinGrace: .seconds(60))
    }

    /// `joinGrace`: how much older than the join a message in a room just
    /// joined may be and still be read (see `MatrixRecentJoins`).
    init(settings: Settings, client: any HTTPSending, joinGrace: Duration) throws(MatrixError) {
        joins = MatrixRecentJoins(grace: joinGrace)
        server = try Self.server(settings.homeserverURL)
        guard !settings.user.isEmpty, !settings.user.contains(where: { $0 == " " || $0 == "/" }) else {
            throw .badSettings(reason: "user '\(settings.user)' is no Matrix user; write the localpart (sipdiag) or the user id (@sipdiag:example.org)")
        }
        guard !settings.password.value.isEmpty else {
            throw .badSettings(reason: "the password is empty; check the password_env or password_file the configuration points at")
        }
        guard !settings.deviceID.isEmpty, settings.deviceID.count <= 64,
              settings.deviceID.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
            throw .badSettings(reason: "device_id '\(settings.deviceID)' must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_', '-' (keep it fixed: it is what lets a retried post land once)")
        }
        guard settings.syncTimeout >= .zero, settings.syncTimeout <= .seconds(300) else {
            throw .badSettings(reason: "sync_timeout must be between 0 and 300 s (and below the HTTP timeout), not \(settings.syncTimeout)")
        }
        guard Self.characterLimits.contains(settings.maxCharacters) else {
            throw .badSettings(reason: "max_characters must be between \(Self.characterLimits.lowerBound) and \(Self.characterLimits.upperBound) (an event holds at most 65536 bytes with both bodies), not \(settings.maxCharacters)")
        }
        guard !settings.name.isEmpty else { throw .badSettings(reason: "the back-end needs a name (matrix-noc)") }
        self.settings = settings
        name = settings.name
        session = MatrixSession(server: server, user: settings.user, password: settings.password,
                                deviceID: settings.deviceID, client: client)
    }

    /// The base URL without a trailing slash or `/_matrix…`, refused when
    /// it could not be a homeserver's address or would carry credentials.
    static func server(_ baseURL: String) throws(MatrixError) -> String {
        var url = baseURL.trimmingCharacters(in: .whitespaces)
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            throw .badSettings(reason: "homeserver '\(baseURL)' is not an http:// or https:// address; write the client-server API's base, e.g. https://matrix.example.org")
        }
        if let range = url.range(of: "/_matrix") { url = String(url[..<range.lowerBound]) }
        while url.hasSuffix("/"), !url.hasSuffix("://") { url.removeLast() }
        let afterScheme = url[url.index(url.firstIndex(of: ":")!, offsetBy: 3)...]
        let authority = afterScheme.prefix { $0 != "/" }
        guard !authority.isEmpty else { throw .badSettings(reason: "homeserver '\(baseURL)' names no host") }
        guard !authority.contains("@") else {
            throw .badSettings(reason: "homeserver names a user in the address; give the user as user and the password by reference (password_env or password_file)")
        }
        guard !url.contains("?"), !url.contains("#") else {
            throw .badSettings(reason: "homeserver '\(baseURL)' has a query or fragment; write the homeserver's address only")
        }
        return url
    }
}
