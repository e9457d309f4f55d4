import TraceFormats

/// Capture bytes (pcap, pcapng, and the foreign formats the sniffer names)
/// through the reader, the packet decoder (link, IP, fragments, TCP
/// reassembly, HEP) and the RTP/RTCP meters, then diagnosed and rendered.
/// The first byte picks how the capture is read: whole; SIP only, as
/// `agentctl calls` does; or for one call, as `diagnose --call-id` does,
/// with the INVITE window taken from the capture's own times.
@_cdecl("LLVMFuzzerTestOneInput")
public func captureFuzzer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let mode = data[0] % 3
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    switch mode {
    case 0:
        guard let trace = try? CaptureLoader.read(bytes: bytes, name: "fuzz") else { return 0 }
        diagnoseAndRender(trace)
    case 1:
        _ = try? CaptureLoader.read(bytes: bytes, name: "fuzz", options: .init(measureMedia: false))
    default:
        guard let all = try? CaptureLoader.read(bytes: bytes, name: "fuzz", options: .init(measureMedia: false)),
              let first = all.messages.first, let id = first.message.callID else { return 0 }
        let times = all.messages.compactMap(\.timestamp)
        let window = times.min().flatMap { lo in times.max().map { hi in (lo - 10)...(hi + 10) } }
        guard let trace = try? CaptureLoader.read(bytes: bytes, name: "fuzz", options: .init(callIDs: [id], inviteWindow: window)) else { return 0 }
        diagnoseAndRender(trace)
    }
    return 0
}
