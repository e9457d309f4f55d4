import Integrations
import Testing

/// A resolved secret never shows itself, however it is printed.
@Suite struct SecretTests {
    @Test func aSecretPrintsAsAPlaceholderEverywhere() {
        let secret = Secret("hunter2-token")
        var dumped = ""
        dump(secret, to: &dumped)
        let settings = HomerSettings(baseURL: "http://h", username: "admin", password: secret)
        var dumpedSettings = ""
        dump(settings, to: &dumpedSettings)
        for text in ["\(secret)", String(reflecting: secret), dumped, "\(settings)", dumpedSettings] {
            #expect(!text.contains("hunter2"), "\(text)")
        }
        #expect(secret.value == "hunter2-token")
    }
}
