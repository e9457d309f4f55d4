import SIPCore
import TraceFormats

/// An SDP body: parsed, every stream's address, direction and codecs
/// read, and taught to the media collector as a capture's SDP is.
@_cdecl("LLVMFuzzerTestOneInput")
public func sdpFuzzer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let sdp = SessionDescription(text) else { return 0 }
    for m in sdp.media {
        _ = (sdp.address(of: m), sdp.direction(of: m), m.port, m.rtcpPort, m.ptime, m.isSecure)
        _ = (m.codecNames, m.voiceCodecs)
    }
    var collector = MediaCollector()
    collector.learn(sdp)
    _ = collector.finish()
    return 0
}
