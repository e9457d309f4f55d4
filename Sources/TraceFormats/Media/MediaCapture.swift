/// The media a capture held: every RTP stream measured and every RTCP
/// report kept. Text traces have none (`Trace.media` is nil), which is
/// how the diagnosis knows that media could not be measured.
public struct MediaCapture: Sendable, Codable, Hashable {
    public var streams: [RTPStream]
    public var rtcp: [RTCPReport]

    public init(streams: [RTPStream] = [], rtcp: [RTCPReport] = []) {
        self.streams = streams
        self.rtcp = rtcp
    }
}
