import SIPCore
import TraceFormats

/// Digest usernames whose credentialed requests were accepted (a 2xx)
/// anywhere in the trace: proof the password works, which a 403 to the
/// same user's INVITE then cannot be about.
public struct AcceptedCredentials: Sendable {
    /// Username -> reference (`#n`) of the first 2xx that accepted it.
    public private(set) var acceptedBy: [String: Int] = [:]

    public init() {}

    public init(_ messages: [CapturedMessage]) {
        // A request and its answer share Call-ID and CSeq; only credentialed
        // requests are remembered, so the map stays small.
        var asked: [String: String] = [:]
        for c in messages {
            let m = c.message
            guard let callID = m.callID, let cseq = m.cseq else { continue }
            let key = callID + "\u{1}" + String(cseq.number) + "\u{1}" + cseq.method
            if m.isRequest {
                if let header = m["authorization"] ?? m["proxy-authorization"],
                   let user = DigestParameters.digest(header)["username"] {
                    asked[key] = user
                }
            } else if let code = m.statusCode, (200..<300).contains(code), let user = asked[key], acceptedBy[user] == nil {
                acceptedBy[user] = c.index
            }
        }
    }
}
