import Testing
@testable import Diagnosis

/// Copies of one message fold into one ladder row that counts them.
@Suite struct RetransmissionTests {
    @Test func inviteSentThreeTimesIsOneRowWithCountThree() throws {
        let d = try Fixture.diagnose("no-answer/near-miss.txt")
        let invites = d.ladder.filter { $0.label == "INVITE" }
        #expect(invites.count == 1)
        #expect(invites.first?.count == 3)
        #expect(invites.first?.messageIndex == 1)
        #expect(d.ladder.count == 7)
    }

    @Test func inviteRetransmittedUntilTimerBCountsEverySend() throws {
        // 0, 0.5, 1.5, 3.5, 7.5, then every 4 s (T2) up to 31.5 s: 11 sends.
        let d = try Fixture.diagnose("no-answer/catch-no-final.txt")
        #expect(d.ladder.count == 1)
        #expect(d.ladder.first?.count == 11)
    }

    @Test func okRetransmittedWithoutACKIsOneRow() throws {
        let d = try Fixture.diagnose("missing-ack/catch.txt")
        let oks = d.ladder.filter { $0.label == "200 OK" && $0.messageIndex == 4 }
        #expect(oks.first?.count == 11)
        #expect(oks.first?.isFirstFailure == true)
    }

    @Test func aResponseWithANewBranchIsNotACopy() throws {
        // The refresh re-INVITE (new branch, CSeq 2) is its own row, not a copy of the initial INVITE.
        let d = try Fixture.diagnose("session-timer/catch.txt")
        #expect(d.ladder.filter { $0.label == "INVITE" }.map(\.count) == [1, 11])
    }
}
