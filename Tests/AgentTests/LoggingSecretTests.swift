import Foundation
import Integrations
import Logging
import Testing
@testable import Agent

@Suite("Logging: registered secrets never reach a line")
struct LoggingSecretTests {
    let token = ResolvedSecret("1-14-a9f3c2d18e7b4f0c")
    let password = ResolvedSecret("p@ss w\"rd/ü")

    @Test(arguments: [LogFormat.json, .text])
    func aSecretInTheMessageMetadataKeysValuesAndErrorIsRedacted(format: LogFormat) throws {
        let secrets = LogSecrets([token])
        let collected = CollectedLines()
        var logger = AgentLogging.logger(label: "agent.rt", format: format, secrets: secrets, output: collected.output)
        logger[metadataKey: "authorization"] = "token \(token.value)"
        struct Echo: Error, CustomStringConvertible { var text: String; var description: String { text } }
        logger.log(
            level: .error, "RT said: bad token \(token.value)", error: Echo(text: "401 for \(token.value)"),
            metadata: ["header": ["Authorization", .string("token \(token.value)")], "nested": ["deep": ["x": .stringConvertible(token.value)]], token.value: "as a key"])

        let line = try #require(collected.lines.first)
        #expect(!line.contains(token.value))
        #expect(!line.contains("a9f3c2d18e7b4f0c"))
        // message, handler metadata, array, nested dictionary, key, error
        #expect(line.components(separatedBy: LogSecrets.placeholder).count - 1 == 6, "\(line)")
        #expect(line.contains("RT said: bad token [redacted]"))
    }

    @Test func aSecretRegisteredAfterTheLoggerWasMadeIsStillRedacted() throws {
        let secrets = LogSecrets()
        let collected = CollectedLines()
        let logger = AgentLogging.logger(label: "agent", format: .json, secrets: secrets, output: collected.output)
        logger.info("before \(password.value)")
        secrets.register(password)
        logger.info("after \(password.value)")
        #expect(try collected.json(0)["message"] as? String == "before \(password.value)")
        #expect(try collected.json(1)["message"] as? String == "after [redacted]")
    }

    @Test func theSecretsSpellingsInAURLAndInEscapedJSONAreRedactedToo() throws {
        let secrets = LogSecrets([password])
        let collected = CollectedLines()
        let logger = AgentLogging.logger(label: "agent", format: .json, secrets: secrets, output: collected.output)
        let encoded = "p%40ss+w%22rd%2F%C3%BC"
        logger.info("login body password=\(encoded)")
        logger.info(#"server echoed {"password":"p@ss w\"rd/ü"}"#)
        for index in 0..<2 {
            let message = try #require(try collected.json(index)["message"] as? String)
            #expect(!message.contains(encoded) && !message.contains("p@ss"), "\(message)")
            #expect(message.contains(LogSecrets.placeholder))
        }
    }

    @Test func aSecretContainingAnotherIsRedactedWhole() {
        let secrets = LogSecrets([ResolvedSecret("abcd"), ResolvedSecret("abcdefgh")])
        #expect(secrets.scrub("x abcdefgh y abcd") == "x [redacted] y [redacted]")
    }

    @Test func tooShortAndEmptySecretsAreNotRegisteredAndChangeNothing() {
        let secrets = LogSecrets([ResolvedSecret(""), ResolvedSecret("abc")])
        #expect(secrets.count == 0)
        #expect(secrets.scrub("abc and more") == "abc and more")
    }

    @Test func theHealthBoardScrubsAndCutsErrors() async throws {
        let secrets = LogSecrets([token])
        let board = HealthBoard(backends: ["rt"], secrets: secrets)
        await board.failed("rt", error: "401: token \(token.value) refused" + String(repeating: "x", count: 2000))
        let error = try #require(await board.snapshot().first?.lastError)
        #expect(!error.contains(token.value))
        #expect(error.hasPrefix("401: token [redacted] refused"))
        #expect(error.count == HealthBoard.maximumErrorLength + 1)
    }
}
