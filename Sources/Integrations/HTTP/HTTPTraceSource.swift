import Engine
import HTTPClient
import TraceFormats

/// A call's trace served over HTTP at an address made from its Call-ID
/// (`CallURLTemplate`): one GET, 404 meaning "no such call", and the body
/// read as whatever it is, told by its first bytes as a file would be:
/// pcap, pcapng, any text format, Homer JSON. See docs/trace-sources.md.
public struct HTTPTraceSource: CallTraceSource {
    public let name: String
    public let settings: Settings
    private let client: any HTTPSending

    /// Refuses headers that could not be sent as given (a line break would
    /// smuggle another header), an `Authorization` header among the
    /// configured ones, and a configured header `auth` also sends.
    public init(settings: Settings, client: any HTTPSending) throws(HTTPTraceError) {
        for header in settings.headers {
            guard Self.isSendable(header) else {
                throw .badSettings(reason: "header '\(header.name)' has an empty name, a colon or space in its name, or a line break or control character; write each header as a name and a one-line value")
            }
            if header.name.lowercased() == "authorization" {
                throw .badSettings(reason: "an Authorization header is configured; give credentials through auth (scheme bearer or basic, the secret by reference) so they are never written in the configuration")
            }
        }
        if let auth = settings.auth.header {
            guard Self.isSendable(auth) else {
                throw .badSettings(reason: "the auth header '\(auth.name)' has a bad name, or its secret holds a line break or control character; check the header name and the token's file or variable")
            }
            if settings.headers.contains(where: { $0.name.lowercased() == auth.name.lowercased() }) {
                throw .badSettings(reason: "header '\(auth.name)' is both configured and sent by auth; keep it in auth only")
            }
        }
        self.settings = settings
        self.client = client
        name = "http " + (settings.name ?? settings.url.template)
    }

    /// A name of visible characters without a colon, a value of one line.
    static func isSendable(_ header: HTTPHeader) -> Bool {
        let badName = header.name.unicodeScalars.contains { $0.value <= 0x20 || $0.value >= 0x7F || $0 == ":" }
        let badValue = header.value.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }
        return !header.name.isEmpty && !badName && !badValue
    }

    public func findTrace(callID: String) async throws -> FoundTrace? {
        try await find(callID)
    }

    /// `findTrace` with its error typed.
    public func find(_ callID: String) async throws(HTTPTraceError) -> FoundTrace? {
        guard !callID.isEmpty else { throw .badSettings(reason: "an empty Call-ID names no trace") }
        let url = settings.url.url(for: callID)
        var headers = settings.headers
        if let auth = settings.auth.header { headers.append(auth) }
        let response: HTTPResponse
        do {
            response = try await client.send(HTTPRequest(method: "GET", url: url, headers: headers))
        } catch {
            throw .noAnswer(url: url, detail: "\(error)")
        }
        switch response.status {
        case 200: break
        case 404: return nil
        case 401, 403: throw .refused(url: url, status: response.status)
        case 500...: throw .serverError(url: url, status: response.status, detail: response.bodyHead)
        default: throw .rejected(url: url, status: response.status, detail: response.bodyHead)
        }
        let trace: Trace
        do {
            trace = try await CallTraceLoader(limits: settings.limits).load(.bytes(response.body, name: url), callID: callID)
        } catch .notFound(_, let available) {
            let listed = available.prefix(5).joined(separator: ", ") + (available.count > 5 ? ", …" : "")
            throw .unreadable(url: url, detail: "it holds the calls \(listed), not \(callID); check that the url template puts {callid} where the service expects it")
        } catch {
            throw .unreadable(url: url, detail: error.description)
        }
        guard trace.messages.contains(where: { $0.message.callID == callID }) else {
            throw .unreadable(url: url, detail: "it holds no SIP message (\(trace.format.displayName)); the service answered 200 without the call's signalling")
        }
        return FoundTrace(trace: trace, origin: "\(url) (\(trace.format.displayName), \(response.body.count) bytes)",
                          digest: TraceDigest.of(response.body))
    }
}
