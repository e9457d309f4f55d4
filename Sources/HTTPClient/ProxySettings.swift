/// The proxy a URL goes through, read from an environment given at
/// construction (the process's by default) with curl's own rules, so that a
/// test or a configured source can say which proxies apply without touching
/// the process's environment:
/// - `http_proxy` for http URLs, lower case only (HTTP_PROXY can be set by a
///   CGI request's Proxy header: the "httpoxy" problem);
/// - `https_proxy` or `HTTPS_PROXY` for https URLs;
/// - else `all_proxy` or `ALL_PROXY`;
/// - `no_proxy` or `NO_PROXY`: hosts that go direct (comma-separated, `*` for all).
/// libcurl is always told the answer, an empty one included, so it never
/// reads the process's variables behind the caller's back.
struct ProxySettings: Sendable, Equatable {
    var http: String?
    var https: String?
    var all: String?
    var noProxy: String

    init(environment: [String: String]) {
        func value(_ names: String...) -> String? {
            names.lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
        }
        http = value("http_proxy")
        https = value("https_proxy", "HTTPS_PROXY")
        all = value("all_proxy", "ALL_PROXY")
        noProxy = value("no_proxy", "NO_PROXY") ?? ""
    }

    /// The proxy for this URL, or "" for none (which is what tells libcurl
    /// not to look for one itself). no_proxy is applied by libcurl.
    func proxy(for url: String) -> String {
        let lowered = url.lowercased()
        let specific = lowered.hasPrefix("https://") ? https : lowered.hasPrefix("http://") ? http : nil
        return specific ?? all ?? ""
    }
}
