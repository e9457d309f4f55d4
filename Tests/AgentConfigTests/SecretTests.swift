import Foundation
import Testing
@testable import AgentConfig

@Suite struct SecretTests {
    static let value = "s3cr3t-Hunter2-value"

    /// A directory of its own, removed afterwards.
    func withDirectory(_ body: (URL) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try body(dir)
    }

    func write(_ text: String, to url: URL, mode: Int) throws {
        try Data(text.utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
    }

    @Test func readsTheVariableAtUse() throws {
        let secret = Secret.environment("HOMER_PASSWORD")
        #expect(try secret.resolve(environment: ["HOMER_PASSWORD": Self.value]).text == Self.value)
    }

    @Test func anUnsetVariableSaysWhichAndWhatToDo() {
        #expect(throws: SecretError.variableUnset("HOMER_PASSWORD")) {
            try Secret.environment("HOMER_PASSWORD").resolve(environment: [:])
        }
        #expect(SecretError.variableUnset("HOMER_PASSWORD").description.contains("export HOMER_PASSWORD="))
        #expect(throws: SecretError.variableEmpty("HOMER_PASSWORD")) {
            try Secret.environment("HOMER_PASSWORD").resolve(environment: ["HOMER_PASSWORD": ""])
        }
    }

    @Test func readsAFileWithoutItsFinalNewline() throws {
        try withDirectory { dir in
            let file = dir.appendingPathComponent("homer")
            try write(Self.value + "\n", to: file, mode: 0o600)
            #expect(try Secret.file(file.path).resolve(environment: [:]).text == Self.value)
            try write(Self.value + "\r\n", to: file, mode: 0o400)
            #expect(try Secret.file(file.path).resolve(environment: [:]).text == Self.value)
        }
    }

    @Test func refusesAFileOthersCanRead() throws {
        try withDirectory { dir in
            let file = dir.appendingPathComponent("homer")
            try write(Self.value, to: file, mode: 0o644)
            #expect(throws: SecretError.fileTooOpen(file.path, mode: 0o644)) { try Secret.file(file.path).resolve(environment: [:]) }
            #expect(SecretError.fileTooOpen(file.path, mode: 0o644).description.contains("chmod 600 \(file.path)"))
            try write(Self.value, to: file, mode: 0o640)
            #expect(throws: SecretError.fileTooOpen(file.path, mode: 0o640)) { try Secret.file(file.path).resolve(environment: [:]) }
        }
    }

    @Test func aMissingEmptyOrStrangeFileIsNamed() throws {
        try withDirectory { dir in
            let missing = dir.appendingPathComponent("none").path
            #expect(throws: SecretError.fileMissing(missing)) { try Secret.file(missing).resolve(environment: [:]) }
            let empty = dir.appendingPathComponent("empty")
            try write("\n", to: empty, mode: 0o600)
            #expect(throws: SecretError.fileEmpty(empty.path)) { try Secret.file(empty.path).resolve(environment: [:]) }
            #expect(throws: SecretError.self) { try Secret.file(dir.path).resolve(environment: [:]) }
            let big = dir.appendingPathComponent("big")
            try write(String(repeating: "x", count: Secret.maxFileBytes + 1), to: big, mode: 0o600)
            #expect(throws: SecretError.self) { try Secret.file(big.path).resolve(environment: [:]) }
        }
    }

    @Test func printingASecretOrItsValueNeverShowsTheValue() throws {
        try withDirectory { dir in
            let file = dir.appendingPathComponent("token")
            try write(Self.value, to: file, mode: 0o600)
            let secrets = [Secret.environment("TOKEN"), Secret.file(file.path)]
            for secret in secrets {
                let resolved = try secret.resolve(environment: ["TOKEN": Self.value])
                #expect(resolved.text == Self.value)
                var dumped = ""
                dump(resolved, to: &dumped)
                dump(secret, to: &dumped)
                let shown = [
                    String(describing: secret), String(reflecting: secret), "\(secret)",
                    String(describing: resolved), String(reflecting: resolved), "\(resolved)", dumped,
                    String(describing: [resolved]), String(describing: Optional(resolved)),
                    String(describing: HTTPAuth.bearer(secret)),
                ]
                for text in shown {
                    #expect(!text.contains(Self.value), "\(text)")
                }
                #expect(String(describing: resolved).contains(secret.description))
            }
        }
    }
}
