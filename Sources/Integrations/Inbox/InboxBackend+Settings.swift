import Annotation

extension InboxBackend {
    /// A folder of ticket files in, a folder of annotations out: what the
    /// configuration's `inbox:` entry turns into.
    public struct Settings: Sendable, Equatable {
        public var name: String
        public var inDirectory: String
        public var outDirectory: String
        public var pollInterval: Duration
        public var postStyle: PostStyle

        public init(name: String, inDirectory: String, outDirectory: String, pollInterval: Duration = .seconds(5),
                    postStyle: PostStyle = PostStyle(markup: .markdown, maxCharacters: 20_000)) {
            self.name = name
            self.inDirectory = inDirectory
            self.outDirectory = outDirectory
            self.pollInterval = pollInterval
            self.postStyle = postStyle
        }
    }
}
