import Foundation
import HTTPClient

extension HTTPTraceSource {
    /// How the source proves who it is, from a secret the caller resolved
    /// (an environment variable or a token file the configuration names).
    public enum Auth: Sendable, Equatable {
        case none
        /// `Authorization: Bearer <token>`.
        case bearer(ResolvedSecret)
        /// `Authorization: Basic base64(user:password)` (RFC 7617).
        case basic(username: String, password: ResolvedSecret)
        /// The token as the value of a header of its own (`X-API-Key`).
        case header(name: String, value: ResolvedSecret)

        /// The header to send, made just before sending; nil for `.none`.
        var header: HTTPHeader? {
            switch self {
            case .none:
                return nil
            case .bearer(let token):
                return HTTPHeader("Authorization", "Bearer " + token.value)
            case .basic(let username, let password):
                return HTTPHeader("Authorization", "Basic " + Data((username + ":" + password.value).utf8).base64EncodedString())
            case .header(let name, let value):
                return HTTPHeader(name, value.value)
            }
        }
    }
}
