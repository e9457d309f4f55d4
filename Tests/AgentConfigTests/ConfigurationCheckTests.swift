import Diagnosis
import Foundation
import Testing
@testable import AgentConfig

@Suite struct ConfigurationCheckTests {
    func check(_ yaml: String, environment: [String: String] = [:]) -> ConfigurationCheck {
        ConfigurationCheck(yaml: yaml, directory: "/etc/agentctl", environment: environment)
    }

    /// (line, key) of each mistake, in file order.
    func mistakes(_ yaml: String, environment: [String: String] = [:]) -> [String] {
        check(yaml, environment: environment).mistakes.map { "\($0.line ?? 0) \($0.key)" }
    }

    @Test func anEmptyFileIsTheDefaults() {
        for text in ["", "# nothing yet\n", "---\n"] {
            let c = check(text)
            #expect(c.problems.isEmpty)
            #expect(c.configuration == AgentConfiguration())
        }
    }

    @Test func readsEverySection() throws {
        let c = check("""
        database: data/agent.sqlite
        exports:
          - path: /srv/exports
            max_file_size: 500 MB
            include: ["*.pcap", "sbc/*.log.gz"]
            settle_time: 45s
          - path: more
        homer:
          - name: h
            url: https://homer.example.net:9080
            username: agent
            password_file: secrets/homer
            node: [n1, n2]
            search_window: 2h
        http_sources:
          - name: api
            url: "http://127.0.0.1:8080/{callid}"
            headers: {Accept: application/json}
            auth: {scheme: basic, username: u, password_env: API_PASSWORD}
          - name: keyed
            url: "https://x.example.net/c?id={callid}"
            auth: {scheme: header, header: X-API-Key, token_env: API_KEY}
        peers:
          "203.0.113.0/24": SBC
          198.51.100.4: CARRIER
        limits: {max_text_trace_size: 64 MiB, max_capture_size: 1 GiB}
        tls: {ca_bundle: /etc/ssl/private-ca.pem}
        """, environment: ["API_PASSWORD": "x", "API_KEY": "y"])
        #expect(c.mistakes.isEmpty, "\(c.problems)")
        let config = c.configuration
        #expect(config.databasePath == "/etc/agentctl/data/agent.sqlite")
        #expect(config.exportDirectories == [
            ExportDirectorySettings(path: "/srv/exports", maxFileBytes: 500_000_000,
                                    include: [try FileGlob("*.pcap"), try FileGlob("sbc/*.log.gz")], settleTime: .seconds(45)),
            ExportDirectorySettings(path: "/etc/agentctl/more"),
        ])
        #expect(config.homerSources == [HomerSettings(name: "h", baseURL: "https://homer.example.net:9080", username: "agent",
                                                      password: .file("/etc/agentctl/secrets/homer"), nodes: ["n1", "n2"], searchWindow: .seconds(7200))])
        #expect(config.httpSources.map(\.auth) == [.basic(username: "u", password: .environment("API_PASSWORD")),
                                                   .header(name: "X-API-Key", value: .environment("API_KEY"))])
        #expect(config.httpSources[0].headers.map { "\($0.name): \($0.value)" } == ["Accept: application/json"])
        #expect(config.peers.name(for: "203.0.113.9") == "SBC")
        #expect(config.peers.name(for: "198.51.100.4") == "CARRIER")
        #expect(config.limits.maxTextBytes == 64 << 20)
        #expect(config.limits.maxCaptureBytes == 1 << 30)
        #expect(config.tls.caBundlePath == "/etc/ssl/private-ca.pem")
        // The secret file, the directories and the bundle do not exist
        // here: warnings, not mistakes.
        #expect(c.warnings.map(\.key) == ["exports[0].path", "exports[1].path", "homer[0].password_file", "tls.ca_bundle"])
        #expect(c.warnings[0].message.hasPrefix("/srv/exports does not exist here; write the path of the directory"))
    }

    @Test func peersMayAlsoBeWrittenAsOnTheCommandLine() {
        let c = check("peers: [\"10.0.0.0/8=CORE\", \"192.0.2.1=PBX\"]\n")
        #expect(c.mistakes.isEmpty)
        #expect(c.configuration.peers == (try? PeerMap(parsing: ["10.0.0.0/8=CORE", "192.0.2.1=PBX"])))
        #expect(mistakes("peers: [\"10.0.0.0/8\"]\n") == ["1 peers"])
    }

    @Test func anUnknownKeySuggestsTheNearestKnownOne() {
        let c = check("homer:\n  - name: h\n    url: https://h.example.net\n    usernme: a\n    password_env: P\n", environment: ["P": "x"])
        // Only the misspelling is named, not also the key it misspells as missing.
        #expect(c.mistakes.map(\.key) == ["homer[0].usernme"])
        #expect(c.mistakes[0].message.contains("did you mean username?"))
        #expect(c.mistakes[0].line == 4)
        #expect(!check("bananas: 1\n").mistakes[0].message.contains("did you mean"))
    }

    @Test func aSecretWrittenInlineIsRefusedWhereverItStands() {
        let yaml = """
        homer:
          - name: h
            url: https://h.example.net
            username: agent
            password: hunter2
        tickets:
          api_token: abc
        http_sources:
          - name: a
            url: "https://a.example.net/{callid}"
            headers:
              X-Auth-Token: abc
            auth:
              scheme: bearer
              token: abc
        """
        let c = check(yaml)
        #expect(c.mistakes.map { "\($0.line ?? 0) \($0.key)" } == [
            "5 homer[0].password", "6 tickets", "12 http_sources[0].headers.X-Auth-Token", "15 http_sources[0].auth.token",
        ])
        #expect(c.mistakes[0].message.contains("write password_env: VARIABLE"))
        #expect(c.mistakes[0].message.contains("password_file:"))
        #expect(c.mistakes[3].message.contains("token_env"))
        // No message anywhere repeats the secret.
        #expect(!c.problems.contains { $0.message.contains("hunter2") || $0.message.contains("abc") })
        // A reference is not a secret.
        #expect(!SecretKeyNames.holdsSecret("password_env"))
        #expect(!SecretKeyNames.holdsSecret("token_file"))
        #expect(SecretKeyNames.holdsSecret("bearer_token"))
        #expect(SecretKeyNames.holdsSecret("Api-Key"))
    }

    @Test func aTopLevelInlineSecretInAnUnknownSectionIsNamedAsASecret() {
        let c = check("token: abc\n")
        #expect(c.mistakes.count == 1)
        #expect(c.mistakes[0].message.contains("secret is written inline"))
    }

    @Test func valuesOfTheWrongShapeSayWhatShapeIsWanted() {
        #expect(mistakes("exports: /srv/exports\n") == ["1 exports"])
        #expect(mistakes("exports:\n  - /srv/exports\n") == ["2 exports[0]"])
        #expect(mistakes("limits: 5\n") == ["1 limits"])
        #expect(mistakes("database: [a, b]\n") == ["1 database"])
        #expect(mistakes("database:\n") == ["1 database"])
        #expect(mistakes("exports:\n  - path: /x\n    include: [[a]]\n") == ["3 exports[0].include[0]"])
        #expect(check("exports: /srv\n").mistakes[0].message.contains("- path:"))
    }

    @Test func requiredKeysAreNamedAtTheirSection() {
        #expect(mistakes("homer:\n  - name: h\n") == ["2 homer[0].url", "2 homer[0].username", "2 homer[0].password_env"])
        #expect(mistakes("http_sources:\n  - url: \"https://a.example.net/{callid}\"\n") == ["2 http_sources[0].name"])
        #expect(mistakes("http_sources:\n  - name: a\n    url: \"https://a.example.net/{callid}\"\n    auth: {scheme: basic, token_env: T}\n",
                         environment: ["T": "x"])
            == ["4 http_sources[0].auth.token_env", "4 http_sources[0].auth.username", "4 http_sources[0].auth.password_env"])
    }

    @Test func urlsAreChecked() {
        let homer = "homer:\n  - name: h\n    username: u\n    password_env: P\n    url: "
        #expect(mistakes(homer + "homer.example.net\n", environment: ["P": "x"]) == ["5 homer[0].url"])
        #expect(mistakes(homer + "ftp://homer.example.net\n", environment: ["P": "x"]) == ["5 homer[0].url"])
        #expect(mistakes(homer + "https://homer.example.net/api/v3\n", environment: ["P": "x"]) == ["5 homer[0].url"])
        #expect(mistakes(homer + "https://homer.example.net/prefix\n", environment: ["P": "x"]) == [])
        #expect(check(homer + "http://homer.example.net\n", environment: ["P": "x"]).warnings.map(\.key) == ["homer[0].url"])
        #expect(check(homer + "http://127.0.0.1:9080\n", environment: ["P": "x"]).problems.isEmpty)
        let http = "http_sources:\n  - name: a\n    url: "
        #expect(mistakes(http + "\"https://a.example.net/calls\"\n") == ["3 http_sources[0].url"])
        #expect(mistakes(http + "\"https://a.example.net/{callid}/{date}\"\n") == ["3 http_sources[0].url"])
        #expect(mistakes(http + "\"{callid}\"\n") == ["3 http_sources[0].url"])
        #expect(mistakes(http + "\"https://a.example.net/{callid}\"\n") == [])
    }

    @Test func aSecretIsGivenOneWayOnly() {
        let yaml = "homer:\n  - name: h\n    url: https://h.example.net\n    username: u\n    password_env: P\n    password_file: /run/p\n"
        #expect(mistakes(yaml, environment: ["P": "x"]) == ["6 homer[0].password_file"])
        let notAName = "homer:\n  - name: h\n    url: https://h.example.net\n    username: u\n    password_env: hunter2!\n"
        #expect(mistakes(notAName) == ["5 homer[0].password_env"])
    }

    @Test func anUnsetSecretVariableIsAWarningOnly() {
        let yaml = "homer:\n  - name: h\n    url: https://h.example.net\n    username: u\n    password_env: HOMER_PASSWORD\n"
        let unset = check(yaml, environment: [:])
        #expect(unset.mistakes.isEmpty)
        #expect(unset.warnings.map { "\($0.line ?? 0) \($0.key)" } == ["5 homer[0].password_env"])
        #expect(unset.warnings[0].rendered(file: "a.yaml").hasPrefix("a.yaml:5: warning: homer[0].password_env: the environment variable HOMER_PASSWORD is not set"))
        #expect(check(yaml, environment: ["HOMER_PASSWORD": "x"]).problems.isEmpty)
    }

    @Test func aDuplicatedKeyIsNamedWhereItIsRepeated() {
        let c = check("database: /a\ndatabase: /b\n")
        #expect(c.mistakes.map { "\($0.line ?? 0) \($0.key)" } == ["2 database"])
        #expect(c.mistakes[0].message.contains("first at line 1"))
        let nested = check("""
        homer:
          - name: a
            url: https://a.example.net
            # a comment

            "url": https://b.example.net
          - name: b
        """)
        #expect(nested.mistakes.map { "\($0.line ?? 0) \($0.key)" } == ["6 url"])
        // The same key in the next item is not a repeat.
        #expect(ConfigurationReader.repeatedKeyLine("name", firstLine: 2, column: 5, in: "homer:\n  - name: a\n  - name: b\n") == nil)
        // In a flow mapping the repeat is not found by line: the mapping is named.
        #expect(check("limits: {max_capture_size: 1 GiB, max_capture_size: 2 GiB}\n").mistakes.map(\.line) == [1])
    }

    @Test func aSourceNameIsUsedOnce() {
        let yaml = """
        homer:
          - {name: cap, url: "https://h.example.net", username: u, password_env: P}
        http_sources:
          - {name: cap, url: "https://a.example.net/{callid}"}
        """
        #expect(mistakes(yaml, environment: ["P": "x"]) == ["4 http_sources[0].name"])
    }

    @Test func brokenYAMLIsNamedAtItsLine() {
        let c = check("database: /a\nexports:\n  - path: /x\n   include: [\n")
        #expect(c.mistakes.count == 1)
        #expect((c.mistakes[0].line ?? 0) >= 4)
        #expect(c.configuration == AgentConfiguration())
        #expect(check("\tdatabase: /a\n").mistakes[0].line == 1)
    }

    @Test func aPathOfTheWrongKindIsAWarning() {
        let tmp = FileManager.default.temporaryDirectory.path
        let c = check("exports:\n  - path: /etc/hostname\n  - path: \(tmp)\ntls:\n  ca_bundle: \(tmp)\n")
        #expect(c.mistakes.isEmpty)
        #expect(c.warnings.map { "\($0.line ?? 0) \($0.key)" } == ["2 exports[0].path", "5 tls.ca_bundle"])
        #expect(c.warnings.allSatisfy { $0.message.contains("is not a") })
    }

    @Test func aTildeIsNotExpandedSilently() {
        #expect(mistakes("database: ~/agent.sqlite\n") == ["1 database"])
    }

    @Test func zeroSizesAndDurationsAreRefused() {
        #expect(mistakes("exports:\n  - path: /x\n    max_file_size: 0 B\n    settle_time: 0s\n") == ["3 exports[0].max_file_size", "4 exports[0].settle_time"])
    }
}
