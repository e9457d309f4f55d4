/// What a format writes above each message: when it was seen, between
/// whom, over what. Every field is optional because formats differ in
/// what they record, and a reader must never invent what is missing.
///
/// A class so that the per-line classification hands around one pointer,
/// not a dozen fields (it measured as a tenth of the portal read time).
final class MessageHeading {
    var timestamp: Double?
    var source: Endpoint?
    var destination: Endpoint?
    var sourceLabel: String?
    var destinationLabel: String?
    var transport: String?
    /// The message itself when the format puts it on the heading's line
    /// (ngrep `-W single`).
    var inlinePayload: Range<Int>?

    init(timestamp: Double? = nil, source: Endpoint? = nil, destination: Endpoint? = nil,
         sourceLabel: String? = nil, destinationLabel: String? = nil, transport: String? = nil,
         inlinePayload: Range<Int>? = nil) {
        self.timestamp = timestamp
        self.source = source
        self.destination = destination
        self.sourceLabel = sourceLabel
        self.destinationLabel = destinationLabel
        self.transport = transport
        self.inlinePayload = inlinePayload
    }
}
