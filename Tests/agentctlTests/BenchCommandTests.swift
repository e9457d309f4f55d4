import Testing

@Suite struct BenchCommandTests {
    @Test func rejectsNonsenseSizes() throws {
        let r = try AgentctlProcess.run(["bench", "--megabytes", "0"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--megabytes"))
    }

    @Test
    func printsParseAndDiagnosisFigures() throws {
        let r = try AgentctlProcess.run(["bench", "--megabytes", "1", "--messages", "100", "--runs", "1"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("build: "))
        #expect(r.stdout.contains("MB/s"))
        #expect(r.stdout.contains("diagnose: one call"))
    }
}
