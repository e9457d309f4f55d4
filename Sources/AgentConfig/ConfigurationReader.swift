import Diagnosis
import Foundation
import TraceFormats
import Yams

/// Reads the YAML text into an `AgentConfiguration`, collecting every
/// mistake rather than stopping at the first: `config check` lists them
/// all, each with its line, its key and what to write instead.
struct ConfigurationReader {
    /// Relative paths in the file are taken from here (the file's directory).
    let baseDirectory: String
    /// To warn about secret variables that are not set here.
    let environment: [String: String]
    var problems: [ConfigurationProblem] = []

    static let topKeys = ["database", "exports", "homer", "http_sources", "peers", "limits", "tls",
                          "inbox", "rt", "matrix", "slack", "mattermost", "zendesk", "jira", "listener", "redaction", "agent"]
    static let exportKeys = ["path", "max_file_size", "include", "settle_time"]
    static let homerKeys = ["name", "url", "username", "password_env", "password_file", "node", "search_window"]
    static let httpKeys = ["name", "url", "headers", "auth"]
    static let authKeys = ["scheme", "token_env", "token_file", "username", "password_env", "password_file", "header"]
    static let limitKeys = ["max_text_trace_size", "max_capture_size"]
    static let tlsKeys = ["ca_bundle"]

    init(baseDirectory: String, environment: [String: String]) {
        self.baseDirectory = baseDirectory
        self.environment = environment
    }

    mutating func read(_ text: String) -> AgentConfiguration {
        var configuration = AgentConfiguration()
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            problems.append(Self.problem(from: error, in: text))
            return configuration
        } catch {
            problems.append(ConfigurationProblem(line: nil, key: "", "the file is not YAML (\(error)); fix the syntax"))
            return configuration
        }
        // An empty file (or one holding only `---` or comments): the defaults.
        guard let root else { return configuration }
        if case .scalar(let s) = root, s.style == .plain, ["", "~", "null"].contains(s.string) { return configuration }
        guard let top = table(root, path: "", what: "the configuration") else { return configuration }
        checkKeys(top, allowed: Self.topKeys)

        if let e = top.entry("database") { configuration.databasePath = path(e, in: top) }
        configuration.exportDirectories += list("exports", in: top, example: "- path: /srv/exports") { $0.exportDirectory($1, path: $2) }
        configuration.homerSources += list("homer", in: top, example: "- name: homer-east") { $0.homer($1, path: $2) }
        configuration.httpSources += list("http_sources", in: top, example: "- name: capture-api") { $0.httpSource($1, path: $2) }
        checkUniqueNames(in: top)
        if let e = top.entry("peers") { configuration.peers = peers(e, in: top) }
        if let e = top.entry("limits"), let t = table(e.value, path: top.path(of: "limits"), what: "limits") {
            checkKeys(t, allowed: Self.limitKeys)
            if let e = t.entry("max_text_trace_size"), let n = size(e, in: t) { configuration.limits.maxTextBytes = n }
            if let e = t.entry("max_capture_size"), let n = size(e, in: t) { configuration.limits.maxCaptureBytes = n }
        }
        if let e = top.entry("tls"), let t = table(e.value, path: top.path(of: "tls"), what: "tls") {
            checkKeys(t, allowed: Self.tlsKeys)
            if let e = t.entry("ca_bundle") {
                configuration.tls.caBundlePath = path(e, in: t)
                if let bundle = configuration.tls.caBundlePath { warnUnlessPresent(bundle, directory: false, entry: e, in: t) }
            }
        }
        readAgentSections(top, into: &configuration)
        return configuration
    }

    // MARK: Sections

    mutating func exportDirectory(_ node: Node, path: String) -> ExportDirectorySettings? {
        guard let t = table(node, path: path, what: "an export directory") else { return nil }
        checkKeys(t, allowed: Self.exportKeys)
        let dir = required("path", in: t, example: "path: /srv/exports/sbc").flatMap { self.path($0, in: t) }
        // Read on without a path, so the other keys' mistakes are named too.
        var settings = ExportDirectorySettings(path: dir ?? "")
        if let dir, let e = t.entry("path") { warnUnlessPresent(dir, directory: true, entry: e, in: t) }
        if let e = t.entry("max_file_size"), let n = size(e, in: t) { settings.maxFileBytes = n }
        if let e = t.entry("settle_time"), let d = duration(e, in: t) { settings.settleTime = d }
        if let e = t.entry("include") {
            for (pattern, line) in strings(e, in: t, example: "include: [\"*.pcap\", \"*.log.gz\"]") {
                do throws(FileGlobError) { settings.include.append(try FileGlob(pattern)) } catch {
                    problems.append(ConfigurationProblem(line: line, key: t.path(of: "include"), error.description))
                }
            }
        }
        return dir == nil ? nil : settings
    }

    mutating func homer(_ node: Node, path: String) -> HomerSettings? {
        guard let t = table(node, path: path, what: "a Homer source") else { return nil }
        checkKeys(t, allowed: Self.homerKeys)
        let name = required("name", in: t, example: "name: homer-east").flatMap { string($0, in: t) }
        let url = required("url", in: t, example: "url: https://homer.example.net:9080").flatMap { string($0, in: t) }
        let username = required("username", in: t, example: "username: agent").flatMap { string($0, in: t) }
        let password = secret("password", in: t, required: true)
        if let url, let e = t.entry("url") { checkHomerURL(url, entry: e, in: t, sendsPassword: password != nil) }
        var nodes = HomerSettings.defaultNodes
        if let e = t.entry("node") {
            if case .scalar = e.value, let one = string(e, in: t) { nodes = [one] }
            else { nodes = strings(e, in: t, example: "node: localnode").map(\.text) }
            if nodes.isEmpty {
                problems.append(ConfigurationProblem(line: e.line, key: t.path(of: "node"),
                    "no node is given, and Homer searches only the nodes listed; write node: localnode (the ids of GET /api/v3/database/node/list)"))
            }
        }
        var window = HomerSettings.defaultSearchWindow
        if let e = t.entry("search_window"), let d = duration(e, in: t) { window = d }
        guard let name, let url, let username, let password else { return nil }
        return HomerSettings(name: name, baseURL: url, username: username, password: password, nodes: nodes, searchWindow: window)
    }

    mutating func httpSource(_ node: Node, path: String) -> HTTPSourceSettings? {
        guard let t = table(node, path: path, what: "an HTTP source") else { return nil }
        checkKeys(t, allowed: Self.httpKeys)
        let name = required("name", in: t, example: "name: capture-api").flatMap { string($0, in: t) }
        let url = required("url", in: t, example: "url: \"https://captures.example.net/calls/{callid}.pcap\"").flatMap { string($0, in: t) }
        if let url, let e = t.entry("url") { checkURLTemplate(url, entry: e, in: t) }
        var headers: [(name: String, value: String)] = []
        if let e = t.entry("headers"), let h = table(e.value, path: t.path(of: "headers"), what: "headers") {
            headers = self.headers(h)
        }
        var auth = HTTPAuth.none
        if let e = t.entry("auth"), let a = table(e.value, path: t.path(of: "auth"), what: "auth") {
            auth = self.auth(a) ?? .none
        }
        guard let name, let url else { return nil }
        return HTTPSourceSettings(name: name, urlTemplate: url, headers: headers, auth: auth)
    }

    mutating func headers(_ t: YAMLTable) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        let tchar = Set("!#$%&'*+-.^_`|~ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        for e in t.entries {
            let key = t.path(of: e.key)
            guard !e.key.isEmpty, e.key.allSatisfy({ tchar.contains($0) }) else {
                problems.append(ConfigurationProblem(line: e.line, key: key, "is not a header name (letters, digits and -); write one like X-Request-Source"))
                continue
            }
            guard let value = string(e, in: t) else { continue }
            if Self.headerCarriesCredential(e.key) {
                problems.append(ConfigurationProblem(line: e.line, key: key,
                    "a credential is written inline in a header, and this file is meant to be shared; remove the header and write auth: {scheme: \(e.key.lowercased() == "authorization" ? "bearer" : "header, header: \(e.key)"), token_env: VARIABLE} (or token_file: PATH) instead"))
                continue
            }
            if value.contains("\r") || value.contains("\n") {
                problems.append(ConfigurationProblem(line: e.line, key: key, "a header value cannot span lines; write it on one line"))
                continue
            }
            headers.append((e.key, value))
        }
        return headers
    }

    /// Headers that carry who the agent is: their value is a secret.
    static func headerCarriesCredential(_ name: String) -> Bool {
        let n = name.lowercased()
        return ["authorization", "proxy-authorization", "cookie"].contains(n)
            || ["token", "key", "secret", "auth", "password"].contains { n.contains($0) }
    }

    mutating func auth(_ t: YAMLTable) -> HTTPAuth? {
        checkKeys(t, allowed: Self.authKeys)
        guard let e = required("scheme", in: t, example: "scheme: bearer"), let scheme = string(e, in: t) else { return nil }
        let uses: [String: [String]] = [
            "bearer": ["token_env", "token_file"],
            "header": ["token_env", "token_file", "header"],
            "basic": ["username", "password_env", "password_file"],
        ]
        guard let used = uses[scheme] else {
            problems.append(ConfigurationProblem(line: e.line, key: t.path(of: "scheme"),
                "\"\(scheme)\" is not a scheme; write bearer (Authorization: Bearer), basic (user and password) or header (the token in a header of its own)"))
            return nil
        }
        for other in t.entries where Self.authKeys.contains(other.key) && other.key != "scheme" && !used.contains(other.key) {
            problems.append(ConfigurationProblem(line: other.line, key: t.path(of: other.key),
                "is not used with scheme: \(scheme); remove it (scheme \(scheme) takes \(used.joined(separator: ", ")))"))
        }
        switch scheme {
        case "basic":
            let user = required("username", in: t, example: "username: agent").flatMap { string($0, in: t) }
            guard let password = secret("password", in: t, required: true), let user else { return nil }
            return .basic(username: user, password: password)
        case "header":
            let header = required("header", in: t, example: "header: X-API-Key").flatMap { string($0, in: t) }
            guard let token = secret("token", in: t, required: true), let header else { return nil }
            return .header(name: header, value: token)
        default:
            guard let token = secret("token", in: t, required: true) else { return nil }
            return .bearer(token)
        }
    }

    mutating func peers(_ e: YAMLTable.Entry, in parent: YAMLTable) -> PeerMap {
        let key = parent.path(of: e.key)
        var specs: [(spec: String, line: Int?, key: String)] = []
        switch e.value {
        case .mapping:
            guard let t = YAMLTable(e.value, path: key) else { return PeerMap() }
            for p in t.entries {
                if let name = string(p, in: t) { specs.append(("\(p.key)=\(name)", p.line, t.path(of: p.key))) }
            }
        case .sequence:
            for (spec, line) in strings(e, in: parent, example: "peers: {\"203.0.113.0/24\": SBC}") { specs.append((spec, line, key)) }
        default:
            problems.append(ConfigurationProblem(line: e.line, key: key,
                "is not a list of names by range; write it as a mapping, one per line: \"203.0.113.0/24\": SBC"))
        }
        var entries: [PeerMap.Entry] = []
        for s in specs {
            do {
                entries += try PeerMap(parsing: [s.spec]).entries
            } catch {
                problems.append(ConfigurationProblem(line: s.line, key: s.key,
                    "\"\(s.spec)\" is not an address or range with a name; write it like \"203.0.113.0/24\": SBC or \"198.51.100.4\": CARRIER"))
            }
        }
        return PeerMap(entries: entries)
    }

    // MARK: Checks across a table

    /// Every key not in `allowed` is a mistake, with the nearest allowed
    /// one suggested; a secret written inline is named as such.
    mutating func checkKeys(_ t: YAMLTable, allowed: [String]) {
        // Yams refuses a repeated key itself; what reaches here is the same
        // text under two tags (`1` and "1"), which reads the same to us.
        var seen: [String: Int?] = [:]
        for e in t.entries {
            let key = t.path(of: e.key)
            if let first = seen[e.key] {
                problems.append(ConfigurationProblem(line: e.line, key: key,
                    "is given twice (first at line \(first.map(String.init) ?? "?")); keep one"))
                continue
            }
            seen[e.key] = e.line
            if SecretKeyNames.holdsSecret(e.key), !allowed.contains(e.key) {
                let refs = SecretKeyNames.references(for: e.key)
                problems.append(ConfigurationProblem(line: e.line, key: key,
                    "a secret is written inline, and this file is meant to be shared; write \(refs.env): VARIABLE (the environment variable holding it) or \(refs.file): /run/secrets/NAME (a file only the agent's user can read) instead"))
                continue
            }
            guard !allowed.contains(e.key) else { continue }
            var message = "is not a setting here"
            if let near = KeySuggestion.nearest(to: e.key, in: allowed) { message += "; did you mean \(near)?" }
            message += " (known here: \(allowed.joined(separator: ", ")))"
            problems.append(ConfigurationProblem(line: e.line, key: key, message))
        }
    }

    /// Source names are how messages and the cache tell sources apart.
    mutating func checkUniqueNames(in top: YAMLTable) {
        var seen: [String: Int?] = [:]
        for section in ["homer", "http_sources"] {
            guard let e = top.entry(section), case .sequence(let items) = e.value else { continue }
            for (i, item) in items.enumerated() {
                guard let t = YAMLTable(item, path: "\(top.path(of: section))[\(i)]"),
                      let n = t.entry("name"), let name = n.value.scalar?.string else { continue }
                if let first = seen[name] {
                    problems.append(ConfigurationProblem(line: n.line, key: t.path(of: "name"),
                        "\"\(name)\" is already the name of the source at line \(first.map(String.init) ?? "?"); give each source a name of its own"))
                } else {
                    seen[name] = n.line
                }
            }
        }
    }

    mutating func checkHomerURL(_ url: String, entry e: YAMLTable.Entry, in t: YAMLTable, sendsPassword: Bool) {
        let key = t.path(of: e.key)
        guard let parsed = URLComponents(string: url), let scheme = parsed.scheme?.lowercased(),
              ["http", "https"].contains(scheme), let host = parsed.host, !host.isEmpty else {
            problems.append(ConfigurationProblem(line: e.line, key: key,
                "\"\(url)\" is not an http or https URL; write it like https://homer.example.net:9080"))
            return
        }
        if parsed.query != nil || parsed.fragment != nil {
            problems.append(ConfigurationProblem(line: e.line, key: key,
                "\"\(url)\" has a query or fragment; write the base URL only, like https://homer.example.net:9080"))
        }
        if parsed.path.hasSuffix("/api/v3") || parsed.path.hasSuffix("/api/v3/") {
            problems.append(ConfigurationProblem(line: e.line, key: key,
                "\"\(url)\" ends in /api/v3, which the agent adds itself; write the URL without it"))
        }
        if scheme == "http", sendsPassword, !["127.0.0.1", "localhost", "::1"].contains(host) {
            problems.append(ConfigurationProblem(.warning, line: e.line, key: key,
                "the password goes to \(host) unencrypted over http; write https:// if Homer serves it"))
        }
    }

    mutating func checkURLTemplate(_ template: String, entry e: YAMLTable.Entry, in t: YAMLTable) {
        let key = t.path(of: e.key)
        let placeholder = HTTPSourceSettings.callIDPlaceholder
        guard template.contains(placeholder) else {
            let other = template.firstIndex(of: "{").flatMap { open in
                template[open...].firstIndex(of: "}").map { String(template[open...$0]) }
            }
            let found = other.map { " (\($0) is not it: the one placeholder is spelled \(placeholder))" } ?? ", so every call would fetch the same URL"
            problems.append(ConfigurationProblem(line: e.line, key: key,
                "\"\(template)\" has no \(placeholder)\(found); write \(placeholder) where the Call-ID goes, like https://captures.example.net/calls/\(placeholder).pcap"))
            return
        }
        let rest = template.replacingOccurrences(of: placeholder, with: "x")
        if rest.contains("{") || rest.contains("}") {
            problems.append(ConfigurationProblem(line: e.line, key: key,
                "\"\(template)\" has a placeholder other than \(placeholder) (only that one is replaced, and it is spelled in lower case); remove the others"))
            return
        }
        guard let parsed = URLComponents(string: rest), let scheme = parsed.scheme?.lowercased(),
              ["http", "https"].contains(scheme), let host = parsed.host, !host.isEmpty else {
            problems.append(ConfigurationProblem(line: e.line, key: key,
                "\"\(template)\" is not an http or https URL; write it like https://captures.example.net/calls/\(placeholder).pcap"))
            return
        }
    }

    /// A directory or file the agent will read that is not here: a
    /// warning, since the file may be meant for another machine, but on
    /// the agent's own machine it is a typo.
    mutating func warnUnlessPresent(_ path: String, directory: Bool, entry e: YAMLTable.Entry, in t: YAMLTable) {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if exists, isDirectory.boolValue == directory { return }
        let what = directory ? "directory" : "file"
        let problem = exists ? "is not a \(what)" : "does not exist here"
        problems.append(ConfigurationProblem(.warning, line: e.line, key: t.path(of: e.key),
            "\(path) \(problem); write the path of the \(what) the agent reads, or ignore this if the file is for another machine"))
    }

    // MARK: Values

    mutating func table(_ node: Node, path: String, what: String) -> YAMLTable? {
        if let t = YAMLTable(node, path: path) { return t }
        problems.append(ConfigurationProblem(line: node.mark?.line, key: path,
            "\(what) is a mapping of keys to values, but this is \(Self.kind(of: node)); write key: value lines indented below it"))
        return nil
    }

    mutating func required(_ key: String, in t: YAMLTable, example: String) -> YAMLTable.Entry? {
        if let e = t.entry(key) { return e }
        // A misspelling of it is named already, with this key suggested.
        if t.entries.contains(where: { KeySuggestion.nearest(to: $0.key, in: [key]) == key }) { return nil }
        problems.append(ConfigurationProblem(line: t.line, key: t.path(of: key), "is required and missing; add \(example)"))
        return nil
    }

    /// A scalar as text. Null (`~`, nothing after the colon) is a mistake:
    /// a key left without a value is a value forgotten.
    mutating func string(_ e: YAMLTable.Entry, in t: YAMLTable) -> String? {
        guard case .scalar(let scalar) = e.value else {
            problems.append(ConfigurationProblem(line: e.line, key: t.path(of: e.key),
                "is a single value, but this is \(Self.kind(of: e.value)); write \(e.key): VALUE on one line"))
            return nil
        }
        if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
            problems.append(ConfigurationProblem(line: e.line, key: t.path(of: e.key), "has no value; write a value after the colon or remove the key"))
            return nil
        }
        return scalar.string
    }

    /// A path; relative ones are taken from the configuration file's directory.
    mutating func path(_ e: YAMLTable.Entry, in t: YAMLTable) -> String? {
        guard let text = string(e, in: t) else { return nil }
        if text.hasPrefix("~") {
            problems.append(ConfigurationProblem(line: e.line, key: t.path(of: e.key),
                "\"\(text)\" starts with ~, which is not expanded here; write the absolute path"))
            return nil
        }
        return ConfigurationFile.absolute(text, from: baseDirectory)
    }

    mutating func size(_ e: YAMLTable.Entry, in t: YAMLTable) -> Int? {
        guard let text = string(e, in: t) else { return nil }
        if let bytes = ByteSize.parse(text), bytes > 0 { return bytes }
        let bare = text.allSatisfy { $0.isASCII && $0.isNumber }
        problems.append(ConfigurationProblem(line: e.line, key: t.path(of: e.key),
            "\"\(text)\" is not a size\(bare ? " (a number needs its unit)" : ""); write \(ByteSize.hint)"))
        return nil
    }

    mutating func duration(_ e: YAMLTable.Entry, in t: YAMLTable) -> Duration? {
        guard let text = string(e, in: t) else { return nil }
        if let d = DurationText.parse(text), d > .zero { return d }
        let bare = text.allSatisfy { $0.isASCII && $0.isNumber }
        problems.append(ConfigurationProblem(line: e.line, key: t.path(of: e.key),
            "\"\(text)\" is not a duration\(bare ? " (a number needs its unit)" : ""); write \(DurationText.hint)"))
        return nil
    }

    /// A list of scalars, each with its line.
    mutating func strings(_ e: YAMLTable.Entry, in t: YAMLTable, example: String) -> [(text: String, line: Int?)] {
        guard case .sequence(let items) = e.value else {
            problems.append(ConfigurationProblem(line: e.line, key: t.path(of: e.key),
                "is a list, but this is \(Self.kind(of: e.value)); write \(example)"))
            return []
        }
        var result: [(text: String, line: Int?)] = []
        for (i, item) in items.enumerated() {
            guard let s = item.scalar?.string else {
                problems.append(ConfigurationProblem(line: item.mark?.line, key: "\(t.path(of: e.key))[\(i)]",
                    "each item is a single value, but this is \(Self.kind(of: item)); write \(example)"))
                continue
            }
            result.append((s, item.mark?.line))
        }
        return result
    }

    /// A section that is a list of tables (`exports`, `rt`, `slack`...):
    /// each item read by `read`, the ones with mistakes left out (their
    /// problems recorded); none when the key is absent.
    mutating func list<Item>(_ key: String, in top: YAMLTable, example: String,
                             _ read: (inout ConfigurationReader, Node, String) -> Item?) -> [Item] {
        guard let e = top.entry(key) else { return [] }
        var found: [Item] = []
        for (node, path) in items(e, in: top, example: example) {
            if let item = read(&self, node, path) { found.append(item) }
        }
        return found
    }

    /// The items of a list of sections, each with its path (`homer[1]`).
    mutating func items(_ e: YAMLTable.Entry, in t: YAMLTable, example: String) -> [(Node, String)] {
        let key = t.path(of: e.key)
        if case .scalar(let s) = e.value, s.style == .plain, ["", "~", "null"].contains(s.string) { return [] }
        guard case .sequence(let items) = e.value else {
            problems.append(ConfigurationProblem(line: e.line, key: key,
                "is a list (one \"- \" item per entry), but this is \(Self.kind(of: e.value)); write \(e.key): then \(example) below it"))
            return []
        }
        return items.enumerated().map { i, node in (node, "\(key)[\(i)]") }
    }

    /// `<base>_env` or `<base>_file`, exactly one of them. An unset
    /// variable or an unreadable file is a warning: the file is right, the
    /// machine checking it may not be the one the agent runs on.
    mutating func secret(_ base: String, in t: YAMLTable, required: Bool) -> Secret? {
        let envKey = base + "_env", fileKey = base + "_file"
        let env = t.entry(envKey), file = t.entry(fileKey)
        if env != nil, let file {
            problems.append(ConfigurationProblem(line: file.line, key: t.path(of: fileKey),
                "\(envKey) and \(fileKey) are both given; keep one"))
            return nil
        }
        var secret: Secret?
        var line: Int?
        if let env, let name = string(env, in: t) {
            line = env.line
            guard name.first.map({ $0 == "_" || ($0.isASCII && $0.isLetter) }) == true,
                  name.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }) else {
                problems.append(ConfigurationProblem(line: env.line, key: t.path(of: envKey),
                    "\"\(name)\" is not an environment variable name (it looks like the \(base) itself?); write the variable's name, like \(envKey): HOMER_PASSWORD, and put the value in the environment"))
                return nil
            }
            secret = .environment(name)
        } else if let file {
            line = file.line
            guard let path = path(file, in: t) else { return nil }
            secret = .file(path)
        } else if env == nil, file == nil, required,
                  !t.entries.contains(where: { SecretKeyNames.holdsSecret($0.key) && $0.key.lowercased().contains(base) }) {
            // (A secret written inline is named by checkKeys, with the same advice.)
            problems.append(ConfigurationProblem(line: t.line, key: t.path(of: envKey),
                "a \(base) is required and none is given; add \(envKey): VARIABLE (the environment variable holding it) or \(fileKey): /run/secrets/NAME"))
        }
        if let secret {
            do { _ = try secret.resolve(environment: environment) } catch {
                let key = t.path(of: { if case .environment = secret.reference { return envKey } else { return fileKey } }())
                problems.append(ConfigurationProblem(.warning, line: line, key: key, error.description))
            }
        }
        return secret
    }

    /// The line where `key`, first written at `firstLine` and `column`
    /// (1-based), is written again
    /// in the same block mapping: same column, before the mapping ends
    /// (a line indented less). Nil for flow mappings (`{a: 1, a: 2}`).
    static func repeatedKeyLine(_ key: String, firstLine: Int, column: Int, in text: String) -> Int? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let column = column - 1
        guard firstLine >= 1, firstLine < lines.count else { return nil }
        for index in firstLine..<lines.count {
            let line = lines[index]
            let indent = line.prefix { $0 == " " }.count
            let rest = line.dropFirst(indent)
            if rest.isEmpty || rest.hasPrefix("#") { continue }
            if indent < column { return nil }
            guard indent == column else { continue }
            for spelled in [key, "\"\(key)\"", "'\(key)'"] where rest.hasPrefix(spelled) {
                if rest.dropFirst(spelled.count).drop(while: { $0 == " " }).hasPrefix(":") { return index + 1 }
            }
        }
        return nil
    }

    static func kind(of node: Node) -> String {
        switch node {
        case .scalar(let s): return "the single value \"\(s.string)\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    static func problem(from error: YamlError, in text: String) -> ConfigurationProblem {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return ConfigurationProblem(line: mark.line, key: "", "the file is not valid YAML here (\(problem)); fix the indentation or quoting on this line")
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Yams stops at the first mapping with a repeated key and marks
            // the key's first place; the repeat is found below it.
            let key = duplicates.sorted().first ?? ""
            let again = repeatedKeyLine(key, firstLine: context.mark.line, column: context.mark.column, in: text)
            return ConfigurationProblem(line: again ?? context.mark.line, key: key,
                "is given twice (\(again == nil ? "in the mapping at this line" : "first at line \(context.mark.line)")); keep one (the rest of the file is checked once this is fixed)")
        default:
            return ConfigurationProblem(line: nil, key: "", "the file is not YAML (\(error)); fix it")
        }
    }
}
