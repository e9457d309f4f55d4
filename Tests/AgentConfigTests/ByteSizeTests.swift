import Testing
@testable import AgentConfig

@Suite struct ByteSizeTests {
    @Test(arguments: [
        ("2 GiB", 2 << 30), ("2GiB", 2 << 30), ("500MB", 500_000_000), ("500 MB", 500_000_000),
        ("64 KiB", 65_536), ("1 B", 1), ("3 kB", 3_000), ("1 TiB", 1 << 40), ("7 MiB", 7 << 20),
    ])
    func readsSizesWithTheirUnits(text: String, bytes: Int) {
        #expect(ByteSize.parse(text) == bytes)
    }

    @Test(arguments: ["2", "2 gib", "2 Gb", "1.5 GB", "-1 MB", "GiB", "", "2  GiB", "2 GiB extra", "9999999999999 TiB", "٣ MB"])
    func refusesWhatIsNotASize(text: String) {
        #expect(ByteSize.parse(text) == nil)
    }

    @Test func printsInTheLargestBinaryUnitThatDivides() {
        #expect(ByteSize.text(2 << 30) == "2 GiB")
        #expect(ByteSize.text(3072) == "3 KiB")
        #expect(ByteSize.text(1536) == "1536 B")
        #expect(ByteSize.text(1000) == "1000 B")
    }
}

@Suite struct DurationTextTests {
    @Test(arguments: [
        ("30s", Duration.seconds(30)), ("5m", .seconds(300)), ("24h", .seconds(86_400)),
        ("7d", .seconds(604_800)), ("250ms", .milliseconds(250)),
    ])
    func readsDurationsWithTheirUnits(text: String, duration: Duration) {
        #expect(DurationText.parse(text) == duration)
    }

    @Test(arguments: ["30", "5 m", "1h30m", "1.5h", "-5s", "s", "", "5M", "5min", "99999999999999s"])
    func refusesWhatIsNotADuration(text: String) {
        #expect(DurationText.parse(text) == nil)
    }
}
