import Foundation
import Testing
@testable import AgentConfig

/// The committed examples: the documented one passes, and the broken one
/// has each of its mistakes named at its line.
@Suite struct ExampleConfigurationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let example = root.appendingPathComponent("config/agent.example.yaml").path
    static let broken = root.appendingPathComponent("config/examples/broken.yaml").path

    /// The mistakes broken.yaml holds, by line: each line marked
    /// "# mistake" in the file, and the key that must be named there.
    static let brokenMistakes: [Int: String] = [
        5: "exprots",
        9: "exports[0].max_file_size",
        10: "exports[0].settle_time",
        11: "exports[0].include",
        12: "exports[1].path",
        13: "exports[1].include",
        16: "homer[0].url",
        18: "homer[0].password",
        19: "homer[1].name",
        23: "homer[1].serach_window",
        26: "http_sources[0].url",
        28: "http_sources[0].headers.Authorization",
        31: "http_sources[0].auth.token",
        33: "peers.\"203.0.113.0/33\"",
        35: "limits.max_capture_size",
        37: "tls.ca_bundle",
    ]

    @Test func theDocumentedExampleHasNoMistakes() throws {
        let check = try ConfigurationCheck(file: Self.example, environment: ["HOMER_PASSWORD": "x", "RT_TOKEN": "x", "MATRIX_PASSWORD": "x"])
        #expect(check.mistakes.isEmpty, "\(check.mistakes)")
        let config = check.configuration
        #expect(config.databasePath == "/var/lib/agentctl/agentctl.sqlite")
        #expect(config.exportDirectories.map(\.path) == ["/srv/exports/sbc", "/srv/exports/asterisk"])
        #expect(config.exportDirectories.map(\.maxFileBytes) == [2 << 30, 500_000_000])
        #expect(config.exportDirectories[0].settleTime == .seconds(30))
        #expect(config.exportDirectories[0].include.contains { $0.matches("x.pcap.gz") })
        #expect(config.homerSources.map(\.name) == ["homer-east"])
        #expect(config.homerSources[0].password == .environment("HOMER_PASSWORD"))
        #expect(config.homerSources[0].searchWindow == .seconds(86_400))
        #expect(config.httpSources[0].auth == .bearer(.file("/run/secrets/capture-api-token")))
        #expect(config.httpSources[0].urlTemplate == "https://captures.example.net/api/calls/{callid}/pcap")
        #expect(config.peers.name(for: "203.0.113.77") == "SBC")
        #expect(config.peers.name(for: "2001:db8:10::5") == "CORE")
        #expect(config.limits.maxTextBytes == 256 << 20)
        #expect(config.limits.maxCaptureBytes == 20 << 30)
        #expect(config.tls.caBundlePath == "/etc/ssl/certs/ca-certificates.crt")
    }

    @Test func everyMistakeInTheBrokenExampleIsNamedAtItsLine() throws {
        let text = try String(contentsOfFile: Self.broken, encoding: .utf8)
        let marked = Set(text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .filter { $0.element.contains("# mistake") }.map { $0.offset + 1 })
        #expect(marked == Set(Self.brokenMistakes.keys), "the table above and the file's marks disagree")

        let check = try ConfigurationCheck(file: Self.broken, environment: [:])
        for (line, key) in Self.brokenMistakes.sorted(by: { $0.key < $1.key }) {
            let named = check.mistakes.filter { $0.line == line && $0.key == key }
            #expect(named.count == 1, "line \(line): \(key) not named; got \(check.mistakes.filter { $0.line == line })")
            // Each says what to write instead, after what is wrong.
            let advice = ["; write", "; add", "; keep one", "; remove", "; give each", "; did you mean"]
            #expect(named.first.map { m in advice.contains { m.message.contains($0) } } ?? false, "\(named)")
        }
        // Nothing is named that is not marked (one more mistake on a marked
        // line is allowed only when it is that line's own).
        let unmarked = check.mistakes.filter { !marked.contains($0.line ?? 0) }
        #expect(unmarked.isEmpty, "\(unmarked)")
        #expect(check.warnings.map { "\($0.line ?? 0) \($0.key)" }.filter { !$0.contains("path") } == ["22 homer[1].password_env"])
    }
}

/// Whatever is typed into the file, reading it ends with problems, never a
/// crash: the documented example with each line dropped, doubled, cut in
/// half or re-indented, and a few bytes overwritten.
@Suite struct DamagedConfigurationTests {
    @Test func everyDamagedVariantOfTheExampleReadsWithoutCrashing() throws {
        let text = try String(contentsOfFile: ExampleConfigurationTests.example, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var variants: [String] = []
        for i in lines.indices {
            var dropped = lines; dropped.remove(at: i); variants.append(dropped.joined(separator: "\n"))
            var doubled = lines; doubled.insert(lines[i], at: i); variants.append(doubled.joined(separator: "\n"))
            var cut = lines; cut[i] = String(lines[i].prefix(lines[i].count / 2)); variants.append(cut.joined(separator: "\n"))
            var indented = lines; indented[i] = "   " + lines[i]; variants.append(indented.joined(separator: "\n"))
        }
        var bytes = Array(text.utf8)
        for (offset, junk) in zip(stride(from: 0, to: bytes.count, by: 37), [UInt8]([0x3a, 0x2d, 0x22, 0x5b, 0x7b, 0x26, 0x2a, 0x09, 0x00, 0xff]).cycled()) {
            bytes[offset] = junk
            variants.append(String(decoding: bytes, as: UTF8.self))
        }
        var withMistakes = 0
        for variant in variants {
            let check = ConfigurationCheck(yaml: variant, directory: "/etc/agentctl", environment: ["HOMER_PASSWORD": "x"])
            if !check.mistakes.isEmpty { withMistakes += 1 }
            #expect(check.problems.allSatisfy { !$0.message.isEmpty })
        }
        // Most damage is noticed (a dropped comment line is not damage).
        #expect(withMistakes > variants.count / 3)
    }
}

private extension Array {
    /// The elements again and again, enough for any zip.
    func cycled() -> [Element] { Array((0..<200).flatMap { _ in self }) }
}
