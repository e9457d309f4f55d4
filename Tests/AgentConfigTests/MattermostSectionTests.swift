import Foundation
import Testing
@testable import AgentConfig

/// The `mattermost` section: every key read, each mistake named with its
/// line and what to write.
@Suite struct MattermostSectionTests {
    func check(_ yaml: String, environment: [String: String] = ["MM_HOOK": "h", "MM_API": "a"]) -> ConfigurationCheck {
        ConfigurationCheck(yaml: yaml, directory: "/etc/agentctl", environment: environment)
    }

    @Test func readsEveryKey() throws {
        let c = check("""
        mattermost:
          - name: mm-noc
            path: /hooks/mattermost
            token_env: MM_HOOK
            url: https://chat.example.org
            api_token_env: MM_API
            answer_within: 12s
            max_characters: 12000
        """)
        #expect(c.mistakes.isEmpty, "\(c.problems)")
        let hook = try #require(c.configuration.mattermostHooks.first)
        #expect(hook.name == "mm-noc")
        #expect(hook.path == "/hooks/mattermost")
        #expect(hook.token == .environment("MM_HOOK"))
        #expect(hook.url == "https://chat.example.org")
        #expect(hook.apiToken == .environment("MM_API"))
        #expect(hook.answerWithin == .seconds(12))
        #expect(hook.maxCharacters == 12000)
    }

    @Test func theDefaultsNeedOnlyANameAndTheHooksToken() throws {
        let c = check("""
        mattermost:
          - name: mm-noc
            token_env: MM_HOOK
        """)
        #expect(c.mistakes.isEmpty, "\(c.problems)")
        let hook = try #require(c.configuration.mattermostHooks.first)
        #expect(hook.path == nil && hook.apiToken == nil && hook.url == nil)
        #expect(hook.answerWithin == MattermostSettings.defaultAnswerWithin)
    }

    @Test func eachMistakeIsNamedWithWhatToWrite() {
        let c = check("""
        mattermost:
          - name: mm-noc
            path: hooks
            api_token_env: MM_API
            answer_within: 45s
            max_characters: 20000
        """)
        let keys = Set(c.mistakes.map(\.key))
        #expect(keys.contains("mattermost[0].token_env"), "\(c.problems)")
        #expect(keys.contains("mattermost[0].path"))
        #expect(keys.contains("mattermost[0].url"))
        #expect(keys.contains("mattermost[0].answer_within"))
        #expect(keys.contains("mattermost[0].max_characters"))
        #expect(c.mistakes.first { $0.key == "mattermost[0].answer_within" }.map { "\($0)" }?.contains("OutgoingIntegrationRequestsTimeout") == true)
    }
}
