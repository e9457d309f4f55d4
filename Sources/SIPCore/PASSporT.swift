import Foundation

/// A STIR/SHAKEN `Identity` header (RFC 8224, RFC 8225, RFC 8588):
/// `header.payload.signature;info=<url>;alg=ES256;ppt=shaken`.
/// Decoded, not verified: verifying needs the certificate behind `info`,
/// which a trace does not carry.
public struct PASSporT: Sendable, Hashable, Codable {
    public var algorithm: String?
    public var ppt: String?
    public var x5u: String?
    /// `A`, `B` or `C`.
    public var attest: String?
    public var origTN: String?
    public var destTNs: [String]
    /// Issued-at, seconds since the epoch.
    public var iat: Int?
    public var origID: String?
    public var info: String?
    /// Set when the header is present but cannot be decoded; says why.
    public var malformed: String?

    public init(headerValue: String) {
        destTNs = []
        let value = headerValue.trimmingSpaces()
        let tokenEnd = value.firstIndex(of: ";") ?? value.endIndex
        // A long Identity header is often folded; whitespace is never part
        // of a compact JWT, so drop it.
        let token = String(value[..<tokenEnd].filter { !$0.isWhitespace })
        let params = Parameters(value[tokenEnd...].dropFirst())
        info = params["info"].map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "<>")) }
        ppt = params["ppt"]
        algorithm = params["alg"]
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            malformed = "not a compact JWT (expected header.payload.signature, found \(parts.count) part(s))"
            return
        }
        guard let header = PASSporT.decodeJSON(parts[0]) else {
            malformed = "JWT header is not base64url-encoded JSON"
            return
        }
        algorithm = header["alg"] as? String ?? algorithm
        ppt = header["ppt"] as? String ?? ppt
        x5u = header["x5u"] as? String
        guard let payload = PASSporT.decodeJSON(parts[1]) else {
            malformed = "JWT payload is not base64url-encoded JSON (the header may have been cut)"
            return
        }
        attest = payload["attest"] as? String
        if let orig = payload["orig"] as? [String: Any] { origTN = orig["tn"] as? String }
        if let dest = payload["dest"] as? [String: Any] {
            if let tns = dest["tn"] as? [String] { destTNs = tns } else if let tn = dest["tn"] as? String { destTNs = [tn] }
        }
        if let i = payload["iat"] as? Int { iat = i } else if let d = payload["iat"] as? Double { iat = Int(checked: d) }
        origID = payload["origid"] as? String
        if parts[2].isEmpty { malformed = "signature is empty" }
        else if ppt == "shaken", attest == nil { malformed = "shaken PASSporT without an attest claim" }
        else if let a = attest, !["A", "B", "C"].contains(a) { malformed = "attest \"\(a)\" is not A, B or C" }
    }

    static func decodeJSON(_ part: Substring) -> [String: Any]? {
        var s = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        guard s.count < 64 * 1024, let data = Data(base64Encoded: s),
              let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return obj
    }
}

/// The terminating side's verification result (ATIS-1000074), carried as
/// a `verstat` parameter in From or P-Asserted-Identity.
public enum VerificationStatus: String, Sendable, Hashable, Codable {
    case passed = "TN-Validation-Passed"
    case failed = "TN-Validation-Failed"
    case noValidation = "No-TN-Validation"
}

extension SIPMessage {
    public var identity: PASSporT? { self["identity"].map(PASSporT.init(headerValue:)) }

    /// `verstat` from From or P-Asserted-Identity, wherever in the URI it sits.
    public var verstat: VerificationStatus? {
        for text in [self["p-asserted-identity"], self["from"]].compactMap({ $0 }) {
            guard let r = text.range(of: "verstat=", options: .caseInsensitive) else { continue }
            let value = text[r.upperBound...].prefix { $0 != ";" && $0 != ">" && $0 != "@" && $0 != "," && $0 != " " }
            return VerificationStatus(rawValue: String(value))
        }
        return nil
    }
}
