import Foundation
import Testing
@testable import AgentConfig

/// The `slack` section: read with its defaults, each mistake named at its
/// line with what to write, no secret ever written inline.
@Suite struct SlackSectionTests {
    func check(_ yaml: String) -> ConfigurationCheck {
        ConfigurationCheck(yaml: yaml, directory: "/etc/agentctl", environment: ["SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"])
    }

    @Test func readsEverySetting() throws {
        let c = check("""
        slack:
          - name: slack-noc
            bot_token_env: SLACK_BOT_TOKEN
            signing_secret_file: /run/secrets/slack-signing
            api_url: http://127.0.0.1:8080/api
            respond_to: every_message
            command_response: ephemeral
            events_path: /hooks/slack/events
            commands_path: /hooks/slack/sip
            max_characters: 8000
        """)
        #expect(c.mistakes.isEmpty, "\(c.mistakes)")
        let slack = try #require(c.configuration.slackWorkspaces.first)
        #expect(slack.name == "slack-noc")
        #expect(slack.botToken == .environment("SLACK_BOT_TOKEN"))
        #expect(slack.signingSecret == .file("/run/secrets/slack-signing"))
        #expect(slack.apiURL == "http://127.0.0.1:8080/api")
        #expect(slack.respondTo == .everyMessage && slack.commandResponse == .ephemeral)
        #expect(slack.resolvedEventsPath == "/hooks/slack/events" && slack.resolvedCommandsPath == "/hooks/slack/sip")
        #expect(slack.maxCharacters == 8000)
    }

    @Test func defaultsWhenSilent() throws {
        let c = check("""
        slack:
          - name: slack-noc
            bot_token_env: SLACK_BOT_TOKEN
            signing_secret_env: SLACK_SIGNING_SECRET
        """)
        #expect(c.mistakes.isEmpty, "\(c.mistakes)")
        let slack = try #require(c.configuration.slackWorkspaces.first)
        #expect(slack.apiURL == "https://slack.com/api")
        #expect(slack.respondTo == .mentions && slack.commandResponse == .inChannel)
        #expect(slack.resolvedEventsPath == "/slack/slack-noc/events")
        #expect(slack.resolvedCommandsPath == "/slack/slack-noc/commands")
        #expect(slack.maxCharacters == 12_000)
    }

    @Test func namesEachMistakeWhereItIs() {
        let c = check("""
        slack:
          - name: slack-noc
            bot_token_env: SLACK_BOT_TOKEN
            respond_to: everyone
            command_response: public
            events_path: slack/events
            max_characters: 100000
            api_url: slack.com/api
        """)
        let found = Set(c.mistakes.map { "\($0.line ?? 0) \($0.key)" })
        #expect(found.isSuperset(of: ["2 slack[0].signing_secret_env", "4 slack[0].respond_to", "5 slack[0].command_response",
                                      "6 slack[0].events_path", "7 slack[0].max_characters", "8 slack[0].api_url"]), "\(found)")
        #expect(c.configuration.slackWorkspaces.isEmpty)
        #expect(c.mistakes.allSatisfy { m in ["; write", "; add", "; keep one", "; give"].contains { m.message.contains($0) } },
                "\(c.mistakes.map(\.message))")
    }

    @Test func anInlineTokenIsRefusedAndNeverKept() {
        let c = check("""
        slack:
          - name: slack-noc
            bot_token: xoxb-123-456-secretvalue
            signing_secret_env: SLACK_SIGNING_SECRET
        """)
        let texts = c.mistakes.map(\.description)
        #expect(texts.contains { $0.contains("inline") })
        #expect(!texts.joined().contains("secretvalue"))
        #expect(c.configuration.slackWorkspaces.isEmpty)
    }

    @Test func theSameListenerPathTwiceIsRefused() {
        let c = check("""
        slack:
          - name: slack-noc
            bot_token_env: SLACK_BOT_TOKEN
            signing_secret_env: SLACK_SIGNING_SECRET
            events_path: /slack
            commands_path: /slack
        """)
        #expect(c.mistakes.contains { $0.message.contains("same path") }, "\(c.mistakes)")
    }
}
