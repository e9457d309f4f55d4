import TraceFormats

/// Text traces, read as a user hands them over: the first byte picks the
/// reader (sniffed, or one forced as `--input-format` does), the rest is
/// the trace, diagnosed and rendered in every format.
@_cdecl("LLVMFuzzerTestOneInput")
public func textTraceFuzzer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let formats: [TraceFormat?] = [nil] + TraceFormat.textFormats.map(Optional.some)
    let format = formats[Int(data[0]) % formats.count]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    guard let trace = try? TraceLoader.read(bytes: bytes, name: "fuzz", format: format) else { return 0 }
    diagnoseAndRender(trace)
    return 0
}
