// Requests, responses and headers print without their secrets: string
// interpolation, `print`, `dump`, `String(reflecting:)` and a failed
// `#expect` all go through these, so a token cannot reach a log or a test
// report by someone printing a value. Bodies print as a byte count only
// (a login body holds a password, a login answer a token).

extension HTTPHeader: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { SecretRedaction.header(self) }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: [
            "name": name,
            "value": SecretRedaction.isSecretHeader(name) ? SecretRedaction.placeholder : value,
        ])
    }
}

extension HTTPRequest: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "\(method) \(SecretRedaction.url(url)) \(SecretRedaction.headers(headers)) (\(body.count)-byte body)"
    }

    public var debugDescription: String { "HTTPRequest(\(description))" }

    public var customMirror: Mirror {
        Mirror(self, children: [
            "method": method,
            "url": SecretRedaction.url(url),
            "headers": headers,
            "body": "\(body.count) bytes",
            "idempotent": idempotent,
        ])
    }
}

extension HTTPResponse: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "\(status) \(SecretRedaction.headers(headers)) (\(body.count)-byte body)"
    }

    public var debugDescription: String { "HTTPResponse(\(description))" }

    public var customMirror: Mirror {
        Mirror(self, children: ["status": status, "headers": headers, "body": "\(body.count) bytes"])
    }
}
