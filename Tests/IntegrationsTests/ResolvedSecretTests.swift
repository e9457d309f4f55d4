import Integrations
import Testing

/// A resolved secret never shows itself, however it is printed.
@Suite struct ResolvedSecretTests {
    @Test func aSecretPrintsAsAPlaceholderEverywhere() {
        let secret = ResolvedSecret("hunter2-token")
        var dumped = ""
        dump(secret, to: &dumped)
        let settings = HomerSource.Settings(baseURL: "http://h", username: "admin", password: secret)
        var dumpedSettings = ""
        dump(settings, to: &dumpedSettings)
        for text in ["\(secret)", String(reflecting: secret), dumped, "\(settings)", dumpedSettings] {
            #expect(!text.contains("hunter2"), "\(text)")
        }
        #expect(secret.value == "hunter2-token")
    }
}
