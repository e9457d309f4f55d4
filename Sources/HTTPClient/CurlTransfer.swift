import CCurl
import Foundation

/// One attempt of one request: its libcurl easy handle, configured from the
/// request and the options, and what came back on it. The caller's task
/// builds it and reads it after it finished; in between only the multi
/// loop's thread touches it (the callbacks run there), which is what makes
/// the unchecked Sendable honest.
final class CurlTransfer: @unchecked Sendable {
    enum Outcome: Sendable {
        case finished(CURLcode)
        case cancelled
    }

    let easy: UnsafeMutableRawPointer
    let request: HTTPRequest
    let options: HTTPClientOptions
    /// The proxy URL ("" for none) and the hosts that bypass it.
    let proxy: String
    let noProxy: String
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private(set) var body: [UInt8] = []
    private(set) var headers: [HTTPHeader] = []
    private var headerBytes = 0
    /// Set when a callback stopped the transfer because the answer grew too large.
    private(set) var wentOverCap = false

    // Owned by CurlMultiLoop, under its lock.
    var continuation: CheckedContinuation<Outcome, Never>?
    var cancelRequested = false

    /// Headers past this many bytes in all stop the transfer like a body
    /// over its cap: no honest server sends a megabyte of headers.
    static let maxHeaderBytes = 1 << 20

    init(request: HTTPRequest, options: HTTPClientOptions, proxy: String, noProxy: String) throws(HTTPClientError) {
        guard let easy = curl_easy_init() else {
            throw HTTPClientError(
                kind: .transport(curlCode: Int(CURLE_FAILED_INIT.rawValue)), method: request.method,
                url: SecretRedaction.url(request.url), detail: "curl_easy_init failed (out of memory?)")
        }
        self.easy = easy
        self.request = request
        self.options = options
        self.proxy = proxy
        self.noProxy = noProxy
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        try configure()
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    private func configure() throws(HTTPClientError) {
        let o = options
        var failed: CURLcode = CURLE_OK
        func check(_ code: CURLcode) { if code != CURLE_OK && failed == CURLE_OK { failed = code } }
        func set(_ option: CURLoption, _ value: Int) { check(ccurl_easy_setopt_long(easy, option, value)) }
        func set(_ option: CURLoption, _ value: String) { check(ccurl_easy_setopt_string(easy, option, value)) }

        set(CURLOPT_URL, request.url)
        // Signals are process-wide; a threaded program must not let curl use them.
        set(CURLOPT_NOSIGNAL, 1)
        set(CURLOPT_PROTOCOLS_STR, "http,https")
        set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        set(CURLOPT_FOLLOWLOCATION, o.maxRedirects > 0 ? 1 : 0)
        set(CURLOPT_MAXREDIRS, max(0, o.maxRedirects))
        set(CURLOPT_CONNECTTIMEOUT_MS, Int(max(1, o.connectTimeout.milliseconds)))
        set(CURLOPT_TIMEOUT_MS, Int(max(1, o.timeout.milliseconds)))
        set(CURLOPT_LOW_SPEED_LIMIT, max(1, o.stallMinimumBytesPerSecond))
        // libcurl counts the stall window in whole seconds.
        set(CURLOPT_LOW_SPEED_TIME, Int(max(1, (o.stallWindow.milliseconds + 999) / 1000)))
        check(ccurl_easy_setopt_off_t(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(max(0, o.maxResponseBytes))))
        // Verification is always on, for the server and for an https proxy.
        set(CURLOPT_SSL_VERIFYPEER, 1)
        set(CURLOPT_SSL_VERIFYHOST, 2)
        set(CURLOPT_PROXY_SSL_VERIFYPEER, 1)
        set(CURLOPT_PROXY_SSL_VERIFYHOST, 2)
        if let bundle = o.caBundlePath {
            set(CURLOPT_CAINFO, bundle)
            set(CURLOPT_PROXY_CAINFO, bundle)
        }
        set(CURLOPT_PROXY, proxy)
        // Set even when empty: unset, libcurl would read no_proxy itself.
        set(CURLOPT_NOPROXY, noProxy)
        set(CURLOPT_USERAGENT, o.userAgent)
        // Every encoding this libcurl decodes; the cap counts decoded bytes.
        set(CURLOPT_ACCEPT_ENCODING, "")
        configureMethodAndBody(set: set, check: check)

        for header in request.headers {
            headerList = curl_slist_append(headerList, header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)")
        }
        let given = Set(request.headers.map { $0.name.lowercased() })
        // No 100-continue round trip, and no form Content-Type made up for a
        // body the caller did not label: an empty header removes curl's own.
        if !given.contains("expect") { headerList = curl_slist_append(headerList, "Expect:") }
        if !given.contains("content-type") { headerList = curl_slist_append(headerList, "Content-Type:") }
        check(ccurl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList))

        let me = Unmanaged.passUnretained(self).toOpaque()
        check(ccurl_easy_setopt_write_callback(easy, CURLOPT_WRITEFUNCTION, receiveBodyCallback))
        check(ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, me))
        check(ccurl_easy_setopt_write_callback(easy, CURLOPT_HEADERFUNCTION, receiveHeaderCallback))
        check(ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, me))
        check(ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer))

        if failed != CURLE_OK {
            throw error(.transport(curlCode: Int(failed.rawValue)), detail: String(cString: curl_easy_strerror(failed)))
        }
    }

    private func configureMethodAndBody(set: (CURLoption, Int) -> Void, check: (CURLcode) -> Void) {
        switch request.method {
        case "GET" where request.body.isEmpty:
            set(CURLOPT_HTTPGET, 1)
        case "HEAD":
            set(CURLOPT_NOBODY, 1)
        default:
            if request.method == "POST" || !request.body.isEmpty {
                check(ccurl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
                if request.body.isEmpty {
                    set(CURLOPT_POST, 1)
                } else {
                    var copy = request.body
                    copy.withUnsafeMutableBytes { bytes in
                        check(ccurl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, bytes.baseAddress))
                    }
                }
            }
            if request.method != "POST" {
                check(ccurl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method))
            }
        }
    }

    // MARK: On the loop's thread

    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard body.count + bytes.count <= options.maxResponseBytes else {
            wentOverCap = true
            return 0  // anything but bytes.count makes libcurl stop
        }
        body.append(contentsOf: bytes)
        return bytes.count
    }

    fileprivate func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) -> Int {
        headerBytes += bytes.count
        guard headerBytes <= Self.maxHeaderBytes else {
            wentOverCap = true
            return 0
        }
        var end = bytes.count
        while end > 0, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let line = String(decoding: bytes[..<end], as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            // A new response begins (after a redirect, a 100 Continue or a
            // proxy's CONNECT): only the final one's headers are kept.
            headers = []
        } else if line.first == " " || line.first == "\t", let last = headers.indices.last {
            headers[last].value += " " + line.trimmingCharacters(in: .whitespaces)  // obsolete line folding
        } else if let colon = line.firstIndex(of: ":") {
            headers.append(HTTPHeader(
                String(line[..<colon]).trimmingCharacters(in: .whitespaces),
                String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
        }
        return bytes.count
    }

    // MARK: After the transfer finished, on the caller's task

    /// The answer, or why there is none.
    func result(of code: CURLcode) -> Result<HTTPResponse, HTTPClientError> {
        if code == CURLE_OK {
            var status = 0
            _ = ccurl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            return .success(HTTPResponse(status: status, headers: headers, body: body))
        }
        let curlSays = errorBuffer.pointee != 0
            ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
        return .failure(error(failure(of: code, curlSays: curlSays), detail: curlSays))
    }

    private func failure(of code: CURLcode, curlSays: String) -> HTTPClientError.Kind {
        if wentOverCap || code == CURLE_FILESIZE_EXCEEDED {
            return .responseTooLarge(limit: options.maxResponseBytes)
        }
        var redirects = 0
        _ = ccurl_easy_getinfo_long(easy, CURLINFO_REDIRECT_COUNT, &redirects)
        switch code {
        case CURLE_TOO_MANY_REDIRECTS:
            return .redirectRefused
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            if redirects > 0 { return .redirectRefused }
            return .invalidRequest("libcurl cannot use this URL")
        case CURLE_COULDNT_RESOLVE_HOST:
            return .cannotResolveHost
        case CURLE_COULDNT_RESOLVE_PROXY, CURLE_PROXY:
            return .proxyFailed(proxy: SecretRedaction.url(proxy))
        case CURLE_COULDNT_CONNECT:
            return proxy.isEmpty ? .cannotConnect : .proxyFailed(proxy: SecretRedaction.url(proxy))
        case CURLE_OPERATION_TIMEDOUT:
            var connectMicroseconds: curl_off_t = 0
            _ = ccurl_easy_getinfo_off_t(easy, CURLINFO_CONNECT_TIME_T, &connectMicroseconds)
            // The total timeout bounds the connect too, when it is the shorter.
            if connectMicroseconds == 0 { return .connectTimedOut(min(options.connectTimeout, options.timeout)) }
            if curlSays.contains("too slow") {
                return .stalled(window: options.stallWindow, minimumBytesPerSecond: options.stallMinimumBytesPerSecond)
            }
            return .timedOut(options.timeout)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE,
             CURLE_SSL_CERTPROBLEM, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS:
            return .tlsFailed(caBundle: options.caBundlePath)
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE,
             CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return .connectionLost
        default:
            return .transport(curlCode: Int(code.rawValue))
        }
    }

    private func error(_ kind: HTTPClientError.Kind, detail: String) -> HTTPClientError {
        let secrets = SecretRedaction.secrets(of: request, proxy: proxy)
        return HTTPClientError(
            kind: kind, method: request.method, url: SecretRedaction.url(request.url),
            detail: SecretRedaction.scrub(detail, removing: secrets))
    }
}

private let receiveBodyCallback: curl_write_callback = { data, size, count, userdata in
    guard let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
}

private let receiveHeaderCallback: curl_write_callback = { data, size, count, userdata in
    guard let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    return transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
}
