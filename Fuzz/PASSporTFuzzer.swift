import SIPCore

/// An `Identity` header value: the compact JWT decoded (base64url, JSON),
/// its claims and parameters read.
@_cdecl("LLVMFuzzerTestOneInput")
public func passportFuzzer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let value = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let passport = PASSporT(headerValue: value)
    _ = (passport.iat, passport.attest, passport.origTN, passport.destTNs, passport.malformed)
    return 0
}
