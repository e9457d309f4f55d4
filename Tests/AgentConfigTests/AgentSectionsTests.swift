import Annotation
import Foundation
import Testing
@testable import AgentConfig

/// The agent's sections: back-ends (inbox, rt, matrix), agent, listener,
/// redaction; each mistake named with its line and what to write.
@Suite struct AgentSectionsTests {
    func check(_ yaml: String, environment: [String: String] = [:]) -> ConfigurationCheck {
        ConfigurationCheck(yaml: yaml, directory: "/etc/agentctl", environment: environment)
    }

    func mistakes(_ yaml: String) -> [String] {
        check(yaml).mistakes.map { "\($0.line ?? 0) \($0.key)" }
    }

    @Test func readsEveryAgentSection() throws {
        let c = check("""
        inbox:
          - name: local
            path: tickets
            out: /tmp/annotations
            poll_interval: 3s
            markup: html
            max_characters: 5000
        rt:
          - name: rt-noc
            url: https://rt.example.net/rt
            user: sipdiag
            token_env: RT_TOKEN
            queue: NOC
            query: "Status != 'resolved'"
            poll_interval: 15s
            look_back: 2h
            post_as: correspond
            page_size: 20
            markup: plain
        matrix:
          - name: matrix-noc
            url: https://matrix.example.net
            user: sipdiag
            password_file: /run/secrets/matrix
            device_id: AGENT_1
            respond_to: every_message
            join_on_invite: false
            sync_timeout: 20s
        agent:
          concurrency: 8
          lease: 45s
          log_format: json
        listener:
          address: 0.0.0.0
          port: 9100
        redaction:
          phone_numbers: false
          ip_addresses: yes
          patterns: ['ACME-[0-9]+']
        """, environment: ["RT_TOKEN": "t"])
        #expect(c.mistakes.isEmpty, "\(c.problems)")
        let config = c.configuration
        let inbox = try #require(config.inboxes.first)
        #expect(inbox == InboxSettings(name: "local", inDirectory: "/etc/agentctl/tickets", outDirectory: "/tmp/annotations",
                                       pollInterval: .seconds(3), markup: .html, maxCharacters: 5000))
        let rt = try #require(config.requestTrackers.first)
        #expect(rt.token == .environment("RT_TOKEN"))
        #expect(rt.queue == "NOC" && rt.query == "Status != 'resolved'" && rt.postAs == .correspond)
        #expect(rt.pageSize == 20 && rt.markup == .plain && rt.lookBack == .seconds(7200) && rt.pollInterval == .seconds(15))
        let matrix = try #require(config.matrixServers.first)
        #expect(matrix.password == .file("/run/secrets/matrix"))
        #expect(matrix.deviceID == "AGENT_1" && matrix.respondTo == .everyMessage && !matrix.joinOnInvite)
        #expect(matrix.syncTimeout == .seconds(20))
        #expect(config.agent == AgentSettings(concurrency: 8, lease: .seconds(45), logFormat: .json))
        #expect(config.listener == ListenerSettings(enabled: true, host: "0.0.0.0", port: 9100))
        #expect(config.redaction == RedactionRules(phoneNumbers: false, emailAddresses: true, ipAddresses: true, patterns: ["ACME-[0-9]+"]))
    }

    @Test func defaultsWhenSilent() {
        let config = check("").configuration
        #expect(config.inboxes.isEmpty && config.requestTrackers.isEmpty && config.matrixServers.isEmpty)
        #expect(config.listener.host == "127.0.0.1")
        #expect(config.agent == AgentSettings())
        #expect(config.redaction.phoneNumbers && config.redaction.emailAddresses)
    }

    @Test func anInlineTokenIsRefusedAndNeverKept() {
        let c = check("""
        rt:
          - name: rt-noc
            url: https://rt.example.net/rt
            user: sipdiag
            token: 1-14-abcdef0123456789
        """)
        let texts = c.mistakes.map(\.description)
        #expect(texts.contains { $0.contains("token_env") && $0.contains("inline") })
        #expect(!texts.joined().contains("abcdef0123456789"))
        #expect(c.configuration.requestTrackers.isEmpty)
    }

    @Test func namesEachMistakeWhereItIs() {
        let found = mistakes("""
        inbox:
          - name: local
            path: /srv/in
            out: /srv/in
            markup: rtf
        rt:
          - name: local
            url: rt.example.net
            user: a
            token_env: T
            page_size: 500
            markup: markdown
        matrix:
          - name: m 1
            url: https://m.example.net
            user: a
            password_env: P
            respond_to: everyone
        agent:
          concurrency: 0
          lease: 100ms
          log_fromat: json
        listener:
          port: 70000
        redaction:
          patterns: ["(unclosed"]
        """)
        #expect(found == [
            "4 inbox[0].out", "5 inbox[0].markup", "7 rt[0].name", "8 rt[0].url", "11 rt[0].page_size", "12 rt[0].markup",
            "14 matrix[0].name", "18 matrix[0].respond_to", "20 agent.concurrency", "21 agent.lease", "22 agent.log_fromat",
            "24 listener.port", "26 redaction.patterns",
        ])
    }

    @Test func aMisspelledSectionIsSuggested() {
        let c = check("inbx:\n  - name: a\n")
        #expect(c.mistakes.first?.description.contains("did you mean inbox?") == true)
    }

    @Test func theLocalConfigurationIsValid() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = root.appendingPathComponent("config/local.yaml").path
        let c = try ConfigurationCheck(file: file, environment: [:])
        #expect(c.problems.isEmpty, "\(c.problems)")
        #expect(c.configuration.inboxes.map(\.name) == ["local"])
        #expect(c.configuration.exportDirectories.first?.path == root.appendingPathComponent("Fixtures/inbox/exports").path)
    }
}
