@testable import Diagnosis
import Testing

@Suite struct LadderTimeTests {
    @Test func timeOfDayIsClockTimeToTheMillisecond() {
        #expect(LadderTime.clock(51_721.103_9) == "14:22:01.103")
        #expect(LadderTime.utcDate(51_721.1) == nil)
    }

    @Test func epochSecondsAreUTCClockTimeAndDate() {
        #expect(LadderTime.clock(1_795_486_387.5) == "02:13:07.500")
        #expect(LadderTime.utcDate(1_795_486_387.5) == "2026-11-24")
        #expect(LadderTime.utcDate(951_782_400) == "2000-02-29") // leap day
    }

    @Test func nonsenseTimesDoNotCrash() {
        #expect(LadderTime.clock(.nan) == "--:--:--.---")
        #expect(LadderTime.clock(-1) == "--:--:--.---")
        #expect(LadderTime.clock(.infinity) == "--:--:--.---")
        #expect(LadderTime.utcDate(.infinity) == nil)
        #expect(LadderTime.clock(1e300) == "--:--:--.---")
        #expect(LadderTime.utcDate(1e300) == nil)
    }
}
