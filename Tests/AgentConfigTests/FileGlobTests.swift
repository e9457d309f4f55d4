import Testing
@testable import AgentConfig

@Suite struct FileGlobTests {
    @Test func matchesThePathBelowTheDirectory() throws {
        let pcap = try FileGlob("*.pcap")
        #expect(pcap.matches("a.pcap"))
        #expect(!pcap.matches("a.pcapng"))
        #expect(!pcap.matches("sbc/a.pcap")) // * does not cross a /
        let nested = try FileGlob("sbc-*/[0-9]*.log.gz")
        #expect(nested.matches("sbc-1/20240501.log.gz"))
        #expect(!nested.matches("sbc-1/x.log.gz"))
        #expect(try FileGlob("[]x]*.pcap").matches("].pcap"))
    }

    @Test(arguments: [
        ("", FileGlobError.empty),
        ("/srv/*.pcap", .absolute("/srv/*.pcap")),
        ("../other/*.pcap", .leavesDirectory("../other/*.pcap")),
        ("**/*.pcap", .doubleStar("**/*.pcap")),
        ("[0-9*.pcap", .unclosedBracket("[0-9*.pcap")),
        ("[a/b]*.pcap", .unclosedBracket("[a/b]*.pcap")),
    ])
    func refusesPatternsThatCannotMeanWhatTheySay(pattern: String, error: FileGlobError) {
        #expect(throws: error) { try FileGlob(pattern) }
        #expect(error.description.contains("write") || error.description.contains("add") || error.description.contains("close"))
    }

    @Test func anEscapedBracketIsLiteral() throws {
        #expect(try FileGlob("a\\[1.pcap").matches("a[1.pcap"))
    }
}
