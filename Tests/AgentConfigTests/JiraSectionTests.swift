import Foundation
import Testing
@testable import AgentConfig

/// The `jira` section: every key read, the defaults, each mistake named
/// with its line and what to write, the token only ever referenced.
@Suite struct JiraSectionTests {
    func check(_ yaml: String) -> ConfigurationCheck {
        ConfigurationCheck(yaml: yaml, directory: "/etc/agentctl", environment: ["JIRA_TOKEN": "t"])
    }

    @Test func readsEveryKey() throws {
        let c = check("""
        jira:
          - name: jsm-support
            url: https://example.atlassian.net
            email: sipdiag@example.net
            token_env: JIRA_TOKEN
            project: SUP
            jql: status != Done
            poll_interval: 20s
            look_back: 2h
            page_size: 25
            max_characters: 20000
            post_format: plain
        """)
        #expect(c.mistakes.isEmpty, "\(c.problems)")
        let jira = try #require(c.configuration.jiraSites.first)
        #expect(jira == JiraSettings(name: "jsm-support", baseURL: "https://example.atlassian.net", email: "sipdiag@example.net",
                                     token: .environment("JIRA_TOKEN"), project: "SUP", jql: "status != Done",
                                     pollInterval: .seconds(20), lookBack: .seconds(7200), pageSize: 25, maxCharacters: 20_000,
                                     postFormat: .plain))
    }

    @Test func defaultsWhenSilent() throws {
        let c = check("""
        jira:
          - name: jsm
            url: https://example.atlassian.net
            email: sipdiag@example.net
            token_file: /run/secrets/jira
        """)
        #expect(c.mistakes.isEmpty, "\(c.problems)")
        let jira = try #require(c.configuration.jiraSites.first)
        #expect(jira.token == .file("/run/secrets/jira"))
        #expect(jira.project == nil && jira.jql == nil)
        #expect(jira.pollInterval == JiraSettings.defaultPollInterval && jira.lookBack == JiraSettings.defaultLookBack)
        #expect(jira.pageSize == 50 && jira.maxCharacters == 30_000 && jira.postFormat == .noformat)
    }

    @Test func namesEachMistakeWhereItIs() {
        let c = check("""
        jira:
          - name: jsm
            url: example.atlassian.net
            email: sipdiag
            token_env: JIRA_TOKEN
            project: Support Desk
            jql: status != Done ORDER BY created
            page_size: 500
            max_characters: 40000
            colour: blue
          - name: jsm2
            url: https://example.atlassian.net
        """)
        let found = c.mistakes.map { "\($0.line ?? 0) \($0.key)" }
        #expect(found.contains("3 jira[0].url") && found.contains("4 jira[0].email") && found.contains("6 jira[0].project"))
        #expect(found.contains("7 jira[0].jql") && found.contains("8 jira[0].page_size") && found.contains("9 jira[0].max_characters"))
        #expect(found.contains("10 jira[0].colour"))
        let second = c.mistakes.filter { $0.key.hasPrefix("jira[1]") }.map(\.description).joined(separator: "\n")
        #expect(second.contains("email") && second.contains("token"), "\(second)")
        #expect(c.configuration.jiraSites.isEmpty || c.configuration.jiraSites.allSatisfy { $0.name == "jsm" })
    }

    @Test func anInlineTokenIsRefusedAndNeverKept() {
        let c = check("""
        jira:
          - name: jsm
            url: https://example.atlassian.net
            email: sipdiag@example.net
            token: ATATT3xFfGF0secretvalue
        """)
        let texts = c.mistakes.map(\.description)
        #expect(texts.contains { $0.contains("token_env") })
        #expect(!texts.joined().contains("ATATT3xFfGF0secretvalue"))
        #expect(c.configuration.jiraSites.isEmpty)
    }
}

/// The commented `jira` section of config/agent.example.yaml, uncommented,
/// reads without a mistake.
@Suite struct JiraExampleTests {
    @Test func theExampleSectionReadsWhenUncommented() throws {
        let text = try String(contentsOfFile: ExampleConfigurationTests.example, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex(of: "#jira:"))
        let section = lines[start...].prefix { $0.hasPrefix("#") }.map { String($0.dropFirst()) }.joined(separator: "\n")
        let check = ConfigurationCheck(yaml: section, directory: "/etc/agentctl", environment: ["JIRA_API_TOKEN": "x"])
        #expect(check.mistakes.isEmpty, "\(check.mistakes)")
        let jira = try #require(check.configuration.jiraSites.first)
        #expect(jira.name == "jsm-support" && jira.project == "SUP" && jira.token == .environment("JIRA_API_TOKEN"))
    }
}
