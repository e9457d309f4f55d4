@testable import Diagnosis
import Testing

@Suite struct LadderLayoutTests {
    let four = LadderLayout(participants: RenderSamples.codecMismatch.participants, rows: RenderSamples.codecMismatch.ladder)
    let three = LadderLayout(participants: RenderSamples.healthy.participants, rows: RenderSamples.healthy.ladder)

    func line(_ lines: [String], message index: Int) -> String? {
        lines.first { $0.contains(" #\(index) ") || $0.hasPrefix("#\(index) ") }
    }

    @Test func everyLineFitsInOneHundredColumnsForFourParticipants() {
        for l in four.lines() { #expect(l.count <= 100, "\(l.count): \(l)") }
    }

    @Test func firstFailureMarkerIsOnTheFirstFailureRowOnly() throws {
        let lines = four.lines()
        let marked = lines.filter { $0.hasSuffix(LadderLayout.firstFailureMarker) }
        #expect(marked.count == 1)
        #expect(try #require(marked.first).contains("#7 "))
    }

    @Test func countAboveOneIsShownAsXN() throws {
        let row = try #require(line(three.lines(), message: 4))
        #expect(row.contains("180 Ringing x3"))
    }

    @Test func sdpIsMarkedOnTheLabel() throws {
        let row = try #require(line(three.lines(), message: 1))
        #expect(row.contains("INVITE (SDP)"))
        #expect(row.contains(">"))
    }

    @Test func responsesPointLeft() throws {
        let row = try #require(line(three.lines(), message: 2))
        #expect(row.contains("<"))
        #expect(!row.contains(">"))
    }

    @Test func arrowsCrossUninvolvedLifelines() throws {
        // BYE from PHONE (column 0) to CARRIER (column 2) crosses CORE.
        let row = try #require(line(three.lines(), message: 8))
        #expect(row.contains("BYE"))
        let arrow = row.drop { $0 != "|" }
        // PHONE's and CARRIER's lifelines bound the arrow; CORE's is crossed.
        #expect(arrow.filter { $0 == "|" }.count == 2, "\(row)")
        #expect(arrow.hasSuffix(">|"))
    }

    @Test func namesAreCentredOverLifelinesWithAddressesUnder() {
        let lines = three.lines()
        let names = lines.first { $0.contains("PHONE") && $0.contains("CARRIER") }!
        let addresses = lines.first { $0.contains("10.10.1.50:5060") }!
        let rowLine = line(lines, message: 7)!
        let lifeline = rowLine.firstIndex(of: "|")!
        let column = rowLine.distance(from: rowLine.startIndex, to: lifeline)
        let nameStart = names.distance(from: names.startIndex, to: names.range(of: "PHONE")!.lowerBound)
        #expect(nameStart <= column && column < nameStart + 5)
        #expect(names.count <= addresses.count + 10)
    }

    @Test func timeOfDayIsShownAsClockTime() throws {
        let row = try #require(line(four.lines(), message: 1))
        #expect(row.hasPrefix("14:22:01.103"))
    }

    @Test func epochTimesAreShownInUTCWithTheDateOnce() {
        let lines = three.lines()
        #expect(lines.first == "Times in UTC, 2026-11-24.")
        #expect(line(lines, message: 1)?.hasPrefix("02:13:07.103") == true)
    }

    @Test func selfAddressedAndUnknownParticipantRowsDoNotCrash() throws {
        let lines = four.lines()
        #expect(try #require(line(lines, message: 11)).contains("OPTIONS"))
        #expect(try #require(line(lines, message: 12)).contains("NOTIFY"))
    }

    @Test func longLabelsAreCutButKeepTheirMarks() {
        let row = LadderRow(messageIndex: 1, time: nil, from: 0, to: 1,
                            label: "INVITE-WITH-A-VERY-LONG-METHOD-NAME", hasSDP: true, count: 2,
                            callID: "x", isFirstFailure: false)
        let layout = LadderLayout(participants: RenderSamples.codecMismatch.participants, rows: [row])
        let text = layout.lines().last!
        #expect(text.contains("… (SDP) x2"))
        #expect(text.count <= 100)
    }

    @Test func noParticipantsStillListsTheRows() {
        let layout = LadderLayout(participants: [], rows: RenderSamples.healthy.ladder)
        #expect(layout.lines().count == RenderSamples.healthy.ladder.count)
    }

    @Test func manyParticipantsDoNotCrash() {
        let ps = (0..<12).map { Participant(name: "P\($0)", address: nil, namedBy: .address) }
        let rows = [LadderRow(messageIndex: 1, time: 1, from: 11, to: 0, label: "INVITE", hasSDP: false, count: 1, callID: "x", isFirstFailure: true)]
        #expect(LadderLayout(participants: ps, rows: rows).lines().count == 3)
    }
}
