import Engine
import Foundation
import HTTPClient
import TraceFormats
import SIPCore

/// A Homer 7 capture server (sipcapture/homer-app) as a place to find a
/// call by its Call-ID: it searches the call's messages by `sid` over the
/// last `searchWindow`, then exports them, with the legs the search
/// returned, as one pcap, which is read like any capture. Three calls per
/// lookup (login, search, export) and a login only when the token is new
/// or expired. See docs/trace-sources.md.
public struct HomerSource: CallTraceSource {
    public let name: String
    public let settings: Settings
    private let server: String
    private let session: HomerSession
    private let now: @Sendable () -> Double

    /// `now` gives seconds since 1970 (a test's fixed clock); the search
    /// window ends there.
    public init(settings: Settings, client: any HTTPSending,
                now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) throws(HomerError) {
        server = try Self.server(settings.baseURL)
        guard !settings.nodes.isEmpty, !settings.nodes.contains(where: \.isEmpty) else {
            throw .badSettings(reason: "no database node to search; set nodes to ids from Homer's GET /api/v3/database/node/list (usually [\"localnode\"])")
        }
        // Ten years is past any Homer's retention, and keeps the window's
        // milliseconds far from Int64's edge.
        guard settings.searchWindow > .zero, settings.searchWindow <= .seconds(3_650 * 86_400) else {
            throw .badSettings(reason: "search_window must be longer than zero and at most ten years (24h is a day), not \(settings.searchWindow)")
        }
        guard settings.searchLimit > 0 else {
            throw .badSettings(reason: "search_limit must be at least 1, not \(settings.searchLimit)")
        }
        self.settings = settings
        self.now = now
        session = HomerSession(server: server, username: settings.username, password: settings.password, client: client)
        name = "homer " + (settings.name ?? server)
    }

    public func findTrace(callID: String) async throws -> FoundTrace? {
        try await find(callID)
    }

    /// `findTrace` with its error typed.
    public func find(_ callID: String) async throws(HomerError) -> FoundTrace? {
        guard !callID.isEmpty else { throw .badSettings(reason: "an empty Call-ID cannot be searched") }
        let end = now()
        guard end.isFinite, end > 0, end < 1e11 else {
            throw .badSettings(reason: "the clock says \(end) seconds since 1970, which no search window can end at; check the system clock")
        }
        // `to` one second past now: homer-app truncates it to whole seconds.
        let back = settings.searchWindow.inSeconds
        let window = HomerRequests.Window(from: Int64(((end - back) * 1000).rounded(.down)),
                                          to: Int64((end * 1000).rounded(.down)) + 1000)
        let records = try await search(callID, window: window)
        guard !records.rows.isEmpty else {
            try await checkNodes()
            return nil
        }
        let pcap = try await export(records, callID: callID, window: window)
        let trace: Trace
        do {
            trace = try await CallTraceLoader(limits: settings.limits).load(.bytes(pcap, name: "Homer's pcap export"), callID: callID)
        } catch {
            throw .unreadableExport(server: server, callID: callID, detail: error.description)
        }
        guard trace.messages.contains(where: { $0.message.callID == callID }) else {
            throw .unreadableExport(server: server, callID: callID, detail: "the search found \(records.rows.count) message\(records.rows.count == 1 ? "" : "s") of the call but the pcap holds none; try again, or export the call from Homer's UI and diagnose the file")
        }
        return FoundTrace(trace: trace, origin: "\(name) (pcap export, \(pcap.count) bytes)", digest: TraceDigest.of(pcap))
    }

    private func search(_ callID: String, window: HomerRequests.Window) async throws(HomerError) -> HomerCallRecords {
        let path = "/api/v3/search/call/data"
        let body = HomerRequests.search(callID: callID, nodes: settings.nodes, limit: settings.searchLimit, window: window)
        let response = try await session.send(post(path, body, accept: "application/json"), path: path)
        try check(response, path: path)
        guard let records = HomerCallRecords(json: response.body) else {
            throw .unexpectedAnswer(server: server, path: path, detail: response.sketch)
        }
        return records.session(callID)
    }

    private func export(_ records: HomerCallRecords, callID: String, window: HomerRequests.Window) async throws(HomerError) -> [UInt8] {
        let path = "/api/v3/export/call/messages/pcap"
        let body = HomerRequests.pcapExport(id: records.rows.first?.id ?? 0, sids: records.exportSIDs(for: callID),
                                            nodes: settings.nodes, window: window)
        let response = try await session.send(post(path, body, accept: "application/octet-stream"), path: path)
        try check(response, path: path)
        let sniff = response.body.withUnsafeBytes { CaptureFormat.sniff(UnsafeRawBufferPointer(rebasing: $0.prefix(64))) }
        guard case .capture(.pcap) = sniff else {
            throw .notAPcap(server: server, detail: response.sketch)
        }
        return response.body
    }

    /// After an empty search: homer-app skips the nodes it does not know
    /// without a word, so an empty answer from a wrong node (a typo, a
    /// renamed database) would read as "no such call". The node list is
    /// asked only then; if it cannot be read, the empty search stands.
    private func checkNodes() async throws(HomerError) {
        let path = "/api/v3/database/node/list"
        let request = HTTPRequest(method: "GET", url: server + path, headers: [HTTPHeader("Accept", "application/json")])
        let response = try await session.send(request, path: path)
        guard response.status == 200 || response.status == 201,
              let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
              let data = object["data"] as? [[String: Any]] else { return }
        let known = data.compactMap { $0["value"] as? String }
        let unknown = settings.nodes.filter { !known.contains($0) }
        guard !known.isEmpty, !unknown.isEmpty else { return }
        throw .unknownNodes(server: server, nodes: unknown, known: known)
    }

    /// The search and the export only read, so the client may retry them
    /// on a 500, 502 or 504 as it would a GET.
    private func post(_ path: String, _ body: [UInt8], accept: String) -> HTTPRequest {
        HTTPRequest(method: "POST", url: server + path,
                    headers: [HTTPHeader("Content-Type", "application/json"), HTTPHeader("Accept", accept)], body: body,
                    idempotent: true)
    }

    /// homer-app answers 201 on most successes and 200 on some (the pcap).
    private func check(_ response: HTTPResponse, path: String) throws(HomerError) {
        switch response.status {
        case 200, 201: return
        case 500...: throw .serverError(server: server, path: path, status: response.status, message: HomerSession.message(in: response))
        default: throw .rejected(server: server, path: path, status: response.status, message: HomerSession.message(in: response))
        }
    }

    /// The base URL without a trailing slash, refused when it could not be
    /// a homer-app address or would carry credentials in the clear.
    static func server(_ baseURL: String) throws(HomerError) -> String {
        var url = baseURL.trimmingCharacters(in: .whitespaces)
        while url.hasSuffix("/") { url.removeLast() }
        if url.hasSuffix("/api/v3") { url.removeLast("/api/v3".count) }
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            throw .badSettings(reason: "url '\(baseURL)' is not an http:// or https:// address; write homer-app's address, e.g. http://homer.example:9080")
        }
        let afterScheme = url[url.index(url.firstIndex(of: ":")!, offsetBy: 3)...]
        let authority = afterScheme.prefix { $0 != "/" }
        guard !authority.isEmpty else { throw .badSettings(reason: "url '\(baseURL)' names no host") }
        guard !authority.contains("@") else {
            throw .badSettings(reason: "url names a user in the address; give the user as username and the password by reference (password_env or password_file)")
        }
        guard !url.contains("?"), !url.contains("#") else {
            throw .badSettings(reason: "url '\(baseURL)' has a query or fragment; write homer-app's address only, with its api_prefix if one is set")
        }
        return url
    }
}
