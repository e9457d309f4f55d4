extension MatrixBackend {
    /// Which messages in the rooms the agent is in it answers.
    public enum RespondTo: String, Sendable, Equatable, CaseIterable {
        /// Only messages that mention the agent: `m.mentions`, a
        /// matrix.to pill, its user id, its localpart or its display name
        /// as a word. The default: a busy team room is not annotated
        /// unasked.
        case mentions
        /// Every message in those rooms (the agent still answers only the
        /// ones holding a Call-ID with a trace, or marked as one).
        case everyMessage = "every_message"
    }

    /// A Matrix homeserver and the agent's account on it: what the
    /// configuration's `matrix:` entry turns into once its password has
    /// been resolved. See docs/matrix.md.
    public struct Settings: Sendable {
        /// The client-server API's base, without `/_matrix`:
        /// `https://matrix.example.org`, `http://127.0.0.1:8008`.
        public var homeserverURL: String
        /// The agent's account: a localpart (`sipdiag`) or a full user id
        /// (`@sipdiag:example.org`).
        public var user: String
        public var password: ResolvedSecret
        /// Sent at every login so that the agent stays one device across
        /// restarts: Synapse remembers transaction ids per device, which is
        /// what makes a retried post land once.
        public var deviceID: String
        public var respondTo: RespondTo
        /// Join a room when invited to it (otherwise invites wait for a
        /// person to join the account by hand).
        public var joinOnInvite: Bool
        /// How long one `/sync` waits for something new on the server.
        /// Must stay below the HTTP client's timeout (60 s by default).
        public var syncTimeout: Duration
        /// The most UTF-8 bytes of each body of a post (the HTML and the
        /// plain one). Matrix caps an event at 65,536 bytes of JSON and a
        /// post carries both bodies, so 16,000 leaves room for escaping;
        /// `MatrixBackend.characterLimits` is what is accepted.
        public var maxCharacters: Int
        /// The configuration's name ("matrix-noc"): the ledger's and the
        /// metrics' label.
        public var name: String

        public init(homeserverURL: String, user: String, password: ResolvedSecret, deviceID: String = "SIPDIAG_AGENT",
                    respondTo: RespondTo = .mentions, joinOnInvite: Bool = true, syncTimeout: Duration = .seconds(30),
                    maxCharacters: Int = 16_000, name: String = "matrix") {
            self.homeserverURL = homeserverURL
            self.user = user
            self.password = password
            self.deviceID = deviceID
            self.respondTo = respondTo
            self.joinOnInvite = joinOnInvite
            self.syncTimeout = syncTimeout
            self.maxCharacters = maxCharacters
            self.name = name
        }
    }
}
