import Annotation
import Foundation
import Testing

/// The texts under `Fixtures/tickets/` with the Call-IDs each must give
/// (found from this file's path, so the tests run from any directory).
struct TicketFixture: Sendable, CustomTestStringConvertible {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tickets")

    var name: String
    var markup: TextMarkup
    var text: String
    var expected: [CallIDCandidate]

    var testDescription: String { name }

    static func all() throws -> [TicketFixture] {
        let files = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
        return try files.compactMap { file -> TicketFixture? in
            let url = root.appendingPathComponent(file)
            let markup: TextMarkup
            switch url.pathExtension {
            case "txt": markup = .plain
            case "md" where file != "README.md": markup = .markdown
            case "html": markup = .html
            default: return nil
            }
            let base = url.deletingPathExtension()
            let expectations = try String(contentsOf: base.appendingPathExtension("expected"), encoding: .utf8)
            let expected = try expectations.split(separator: "\n").compactMap { line -> CallIDCandidate? in
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
                let parts = trimmed.split(separator: " ", maxSplits: 1)
                guard parts.count == 2, parts[0] == "marked" || parts[0] == "bare" else {
                    throw FixtureError(file: file, line: String(line))
                }
                return CallIDCandidate(callID: String(parts[1]), marked: parts[0] == "marked")
            }
            return TicketFixture(name: base.lastPathComponent, markup: markup,
                                 text: try String(contentsOf: url, encoding: .utf8), expected: expected)
        }
    }

    struct FixtureError: Error, CustomStringConvertible {
        var file: String
        var line: String
        var description: String { "\(file).expected: '\(line)' is neither 'marked CALL-ID' nor 'bare CALL-ID'" }
    }
}
