import Foundation
import Integrations
import Logging
import Testing
@testable import Agent

/// Lines a test's handler wrote, kept in order across tasks.
final class CollectedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    var output: LogOutput {
        .lines { [self] line in
            lock.lock()
            stored.append(line)
            lock.unlock()
        }
    }

    var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }

    func json(_ index: Int) throws -> [String: Any] {
        let line = try #require(lines.indices.contains(index) ? lines[index] : nil, "no line \(index): \(lines)")
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return try #require(object as? [String: Any], "not a JSON object: \(line)")
    }
}

@Suite("Logging: JSON and text lines")
struct LoggingLineTests {
    @Test func aJSONLineHasTimeLevelLabelMessageAndMetadataInThatOrder() throws {
        let collected = CollectedLines()
        let logger = AgentLogging.logger(label: "agent.rt", format: .json, secrets: LogSecrets(), output: collected.output)
        logger.info("polled", metadata: ["backend": "rt-noc", "threads": "3"])

        #expect(collected.lines.count == 1)
        let line = collected.lines[0]
        #expect(line.hasPrefix("{\"time\":\""))
        let order = ["\"time\"", "\"level\"", "\"label\"", "\"message\"", "\"metadata\""].map { line.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil })
        #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted())

        let object = try collected.json(0)
        #expect(object["level"] as? String == "info")
        #expect(object["label"] as? String == "agent.rt")
        #expect(object["message"] as? String == "polled")
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["backend"] as? String == "rt-noc")
        #expect(metadata["threads"] as? String == "3")
        #expect(object["error"] == nil)
    }

    @Test func theTimeIsUTCWithMillisecondsAndNow() throws {
        let collected = CollectedLines()
        let before = Date()
        AgentLogging.logger(label: "t", format: .json, secrets: LogSecrets(), output: collected.output).warning("w")
        let time = try #require(try collected.json(0)["time"] as? String)
        #expect(time.count == 24 && time.hasSuffix("Z"), "\(time)")
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let parsed = try #require(parser.date(from: time), "\(time)")
        #expect(parsed.timeIntervalSince(before) > -0.002 && parsed.timeIntervalSince(before) < 5)
    }

    @Test func timestampsOfKnownInstants() {
        #expect(LogRecord.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(LogRecord.timestamp(Date(timeIntervalSince1970: 1_700_000_000.5)) == "2023-11-14T22:13:20.500Z")
        #expect(LogRecord.timestamp(Date(timeIntervalSince1970: 951_782_400.999)) == "2000-02-29T00:00:00.999Z")
        #expect(LogRecord.timestamp(Date(timeIntervalSince1970: -0.25)) == "1969-12-31T23:59:59.750Z")
        #expect(!LogRecord.timestamp(Date(timeIntervalSince1970: 1e300)).isEmpty) // no trap
    }

    @Test func quotesNewlinesAndControlCharactersStayOneValidJSONLine() throws {
        let collected = CollectedLines()
        let logger = AgentLogging.logger(label: "agent", format: .json, secrets: LogSecrets(), output: collected.output)
        let nasty = "line one\nline \"two\"\t\\ \u{01}\u{1B}[31m é ☎\r\n\u{2028}end"
        logger.error("\(nasty)", metadata: [nasty: .string(nasty)])
        #expect(collected.lines.count == 1)
        #expect(!collected.lines[0].contains("\n") && !collected.lines[0].contains("\r"))
        let object = try collected.json(0)
        #expect(object["message"] as? String == nasty)
        #expect((object["metadata"] as? [String: Any])?[nasty] as? String == nasty)
    }

    @Test func nestedMetadataBecomesJSONObjectsAndArrays() throws {
        let collected = CollectedLines()
        let logger = AgentLogging.logger(label: "agent", format: .json, secrets: LogSecrets(), output: collected.output)
        logger.info("found", metadata: ["callIDs": ["a@b", "c@d"], "thread": ["id": "123", "title": "No audio"], "count": .stringConvertible(2)])
        let metadata = try #require(try collected.json(0)["metadata"] as? [String: Any])
        #expect(metadata["callIDs"] as? [String] == ["a@b", "c@d"])
        #expect(metadata["thread"] as? [String: String] == ["id": "123", "title": "No audio"])
        #expect(metadata["count"] as? String == "2")
    }

    @Test func theCallsMetadataWinsOverTheLoggersAndBothAppear() throws {
        let collected = CollectedLines()
        var logger = AgentLogging.logger(label: "agent", format: .json, secrets: LogSecrets(), output: collected.output)
        logger[metadataKey: "backend"] = "rt-noc"
        logger[metadataKey: "thread"] = "1"
        logger.info("posted", metadata: ["thread": "2"])
        let metadata = try #require(try collected.json(0)["metadata"] as? [String: Any])
        #expect(metadata["backend"] as? String == "rt-noc")
        #expect(metadata["thread"] as? String == "2")
    }

    @Test func anErrorPassedToTheCallIsItsOwnField() throws {
        struct Refused: Error, CustomStringConvertible { var description: String { "RT refused the token" } }
        let collected = CollectedLines()
        let logger = AgentLogging.logger(label: "agent", format: .json, secrets: LogSecrets(), output: collected.output)
        logger.log(level: .error, "poll failed", error: Refused())
        #expect(try collected.json(0)["error"] as? String == "RT refused the token")
    }

    @Test func levelsBelowTheHandlersAreNotWritten() {
        let collected = CollectedLines()
        let logger = AgentLogging.logger(label: "agent", format: .json, level: .notice, secrets: LogSecrets(), output: collected.output)
        logger.debug("d")
        logger.info("i")
        logger.notice("n")
        logger.critical("c")
        #expect(collected.lines.count == 2)
        #expect(collected.lines.allSatisfy { $0.contains("\"level\":\"notice\"") || $0.contains("\"level\":\"critical\"") })
    }

    @Test func hummingbirdsCancellationErrorGoesOutAtDebugAndOtherErrorsPass() throws {
        let collected = CollectedLines()
        let quiet = { (level: Logger.Level) in
            Logger(label: "hb") { _ in ShutdownQuietLogHandler(base: AgentLogging.makeHandler(label: "hb", format: .json, level: level, secrets: LogSecrets(), output: collected.output)) }
        }
        quiet(.info).error("Waiting on child channel: CancellationError()")
        quiet(.info).error("Waiting on child channel: connection reset")
        #expect(collected.lines.count == 1)
        #expect(collected.lines.first?.contains("connection reset") == true)
        quiet(.debug).error("Waiting on child channel: CancellationError()")
        #expect(collected.lines.count == 2)
        #expect(try collected.json(1)["level"] as? String == "debug")
    }

    @Test func aTextLineReadsTimeLevelLabelMessageAndSortedPairs() throws {
        let collected = CollectedLines()
        let logger = AgentLogging.logger(label: "agent.rt", format: .text, secrets: LogSecrets(), output: collected.output)
        logger.info("polled", metadata: ["threads": "3", "backend": "rt-noc", "title": "no audio on \"trunk\" 2"])
        let line = try #require(collected.lines.first)
        let time = String(line.prefix(24))
        #expect(time.hasSuffix("Z") && time.contains("T"))
        #expect(String(line.dropFirst(25)) == #"info agent.rt: polled backend=rt-noc threads=3 title="no audio on \"trunk\" 2""#)
    }

    @Test func aTextLineStaysOneLineWhateverTheMessage() {
        let collected = CollectedLines()
        AgentLogging.logger(label: "a", format: .text, secrets: LogSecrets(), output: collected.output).info("one\ntwo\r\nthree", metadata: ["k": "v\nw"])
        #expect(collected.lines.count == 1)
        #expect(!collected.lines[0].contains("\n"))
        #expect(collected.lines[0].hasSuffix(#"a: one\ntwo\nthree k="v\nw""#))
    }

    @Test func linesFromManyTasksArriveWholeAndNoneIsLost() async throws {
        let collected = CollectedLines()
        let logger = AgentLogging.logger(label: "agent", format: .json, secrets: LogSecrets(), output: collected.output)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<200 {
                        logger.info("line", metadata: ["task": "\(task)", "index": "\(index)"])
                    }
                }
            }
        }
        #expect(collected.lines.count == 1600)
        var seen = Set<String>()
        for index in collected.lines.indices {
            let metadata = try #require(try collected.json(index)["metadata"] as? [String: String])
            seen.insert("\(metadata["task"] ?? "")/\(metadata["index"] ?? "")")
        }
        #expect(seen.count == 1600)
    }

    @Test func aStandardStreamGetsOneLinePerEvent() throws {
        // A real descriptor: a pipe standing in for stderr.
        let pipe = Pipe()
        let output = LogOutput(descriptor: pipe.fileHandleForWriting.fileDescriptor)
        let logger = AgentLogging.logger(label: "agent", format: .json, secrets: LogSecrets(), output: output)
        logger.info("first")
        logger.info("second")
        try pipe.fileHandleForWriting.close()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3 && lines[2].isEmpty, "\(text)")
        #expect(lines[0].contains("\"message\":\"first\"") && lines[1].contains("\"message\":\"second\""))
    }
}
