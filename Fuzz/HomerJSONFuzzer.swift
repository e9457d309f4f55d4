import TraceFormats

/// Homer search API JSON, read with the Homer reader whatever the sniffer
/// would say, then diagnosed and rendered.
@_cdecl("LLVMFuzzerTestOneInput")
public func homerJSONFuzzer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let trace = try? TraceLoader.read(bytes: bytes, name: "fuzz.json", format: .homerJSON) else { return 0 }
    diagnoseAndRender(trace)
    return 0
}
