import Annotation
import Foundation
import Testing
@testable import AgentConfig

/// The `zendesk` section: each key read, each mistake named with its line
/// and what to write, the token only ever referenced.
@Suite struct ZendeskSectionTests {
    func check(_ yaml: String) -> ConfigurationCheck {
        ConfigurationCheck(yaml: yaml, directory: "/etc/agentctl", environment: ["ZENDESK_TOKEN": "t"])
    }

    @Test func readsEveryKey() throws {
        let c = check("""
        zendesk:
          - name: zendesk-support
            url: https://acme.zendesk.com
            email: sipdiag@acme.example
            token_env: ZENDESK_TOKEN
            poll_interval: 45s
            look_back: 2h
            markup: plain
            max_characters: 8000
            export_requests_per_minute: 6
        """)
        #expect(c.mistakes.isEmpty, "\(c.problems)")
        let zendesk = try #require(c.configuration.zendeskInstances.first)
        #expect(zendesk == ZendeskSettings(name: "zendesk-support", baseURL: "https://acme.zendesk.com", email: "sipdiag@acme.example",
                                           token: .environment("ZENDESK_TOKEN"), pollInterval: .seconds(45), lookBack: .seconds(7200),
                                           markup: .plain, maxCharacters: 8000, exportRequestsPerMinute: 6))
    }

    @Test func defaultsWhenSilent() throws {
        let c = check("""
        zendesk:
          - name: zendesk-support
            url: https://acme.zendesk.com
            email: sipdiag@acme.example
            token_file: /run/secrets/zendesk
        """)
        #expect(c.mistakes.isEmpty, "\(c.problems)")
        let zendesk = try #require(c.configuration.zendeskInstances.first)
        #expect(zendesk.token == .file("/run/secrets/zendesk"))
        #expect(zendesk.pollInterval == .seconds(30) && zendesk.lookBack == .seconds(3600))
        #expect(zendesk.markup == .html && zendesk.maxCharacters == 20_000 && zendesk.exportRequestsPerMinute == 10)
    }

    @Test func namesEachMistakeWhereItIs() {
        let c = check("""
        zendesk:
          - name: zd 1
            url: acme.zendesk.com
            email: sipdiag@acme.example/token
            token_env: ZENDESK_TOKEN
            markup: markdown
            export_requests_per_minute: 20
            max_characters: 10
        """)
        #expect(c.mistakes.map { "\($0.line ?? 0) \($0.key)" } == [
            "2 zendesk[0].name", "3 zendesk[0].url", "4 zendesk[0].email", "6 zendesk[0].markup",
            "7 zendesk[0].export_requests_per_minute", "8 zendesk[0].max_characters",
        ])
        #expect(c.configuration.zendeskInstances.isEmpty)
        let email = c.mistakes.first { $0.key == "zendesk[0].email" }?.description ?? ""
        #expect(email.contains("without /token"))
    }

    @Test func missingKeysAreNamedAndAnInlineTokenRefused() {
        let c = check("""
        zendesk:
          - name: zendesk-support
            token: 0123456789abcdefSECRET
        """)
        let texts = c.mistakes.map(\.description)
        #expect(c.mistakes.map(\.key).contains("zendesk[0].url"))
        #expect(c.mistakes.map(\.key).contains("zendesk[0].email"))
        #expect(texts.contains { $0.contains("token_env") })
        #expect(!texts.joined().contains("0123456789abcdefSECRET"))
        #expect(c.configuration.zendeskInstances.isEmpty)
    }
}
