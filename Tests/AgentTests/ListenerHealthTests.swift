import Foundation
import Testing
@testable import Agent

@Suite("Listener: the health board")
struct ListenerHealthTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func beforeAnyPollEveryBackendWaitsAndTheAgentIsStarting() async {
        let board = HealthBoard(backends: ["rt", "matrix"])
        let report = await board.report(at: t0)
        #expect(report.status == .starting)
        #expect(report.backends.map(\.name) == ["rt", "matrix"])
        #expect(report.backends.map(\.state) == [.waiting, .waiting])
    }

    @Test func allSucceededIsOk() async {
        let board = HealthBoard(backends: ["rt", "matrix"])
        await board.succeeded("rt", at: t0)
        #expect(await board.report().status == .starting)
        await board.succeeded("matrix", at: t0)
        #expect(await board.report().status == .ok)
    }

    @Test func aFailureAfterASuccessIsDegradedWithItsRetryTime() async throws {
        let board = HealthBoard(backends: ["rt", "matrix"])
        await board.succeeded("rt", at: t0)
        await board.succeeded("matrix", at: t0)
        await board.failed("rt", error: "RT answered 500", at: t0 + 30, retryAt: t0 + 60)
        let report = await board.report()
        #expect(report.status == .degraded)
        let rt = try #require(report.backends.first)
        #expect(rt.state == .failing)
        #expect(rt.lastSuccess == t0)
        #expect(rt.lastError == "RT answered 500")
        #expect(rt.lastErrorAt == t0 + 30)
        #expect(rt.retryAt == t0 + 60)
        #expect(report.backends[1].state == .ok)
    }

    @Test func aSuccessAfterAFailureIsOkAgainAndKeepsTheErrorAsHistory() async throws {
        let board = HealthBoard(backends: ["rt"])
        await board.failed("rt", error: "timeout", at: t0, retryAt: t0 + 10)
        #expect(await board.report().status == .degraded)
        await board.succeeded("rt", at: t0 + 10)
        let rt = try #require(await board.snapshot().first)
        #expect(rt.state == .ok)
        #expect(rt.retryAt == nil)
        #expect(rt.lastError == "timeout")
        #expect(await board.report().status == .ok)
    }

    @Test func aBackendNotNamedAtStartIsAddedOnItsFirstReport() async {
        let board = HealthBoard(backends: ["rt"])
        await board.failed("inbox", error: "folder missing", at: t0)
        #expect(await board.snapshot().map(\.name) == ["rt", "inbox"])
        #expect(await board.report().status == .degraded)
    }

    @Test func theJSONHasEveryFieldWithNullsAndUTCMilliseconds() async throws {
        let board = HealthBoard(backends: ["rt", "matrix"])
        await board.failed("rt", error: "RT refused the token for user agent", at: t0, retryAt: t0 + 2.5)
        let json = await board.report(at: t0 + 1).json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "degraded")
        #expect(object["checkedAt"] as? String == "2027-01-15T08:00:01.000Z")
        let backends = try #require(object["backends"] as? [[String: Any]])
        #expect(backends.count == 2)
        #expect(backends[0]["name"] as? String == "rt")
        #expect(backends[0]["state"] as? String == "failing")
        #expect(backends[0]["lastError"] as? String == "RT refused the token for user agent")
        #expect(backends[0]["lastErrorAt"] as? String == "2027-01-15T08:00:00.000Z")
        #expect(backends[0]["retryAt"] as? String == "2027-01-15T08:00:02.500Z")
        #expect(backends[0]["lastSuccess"] is NSNull)
        #expect(backends[1]["state"] as? String == "waiting")
        #expect(Set(backends[1].keys) == ["name", "state", "lastSuccess", "lastError", "lastErrorAt", "retryAt"])
    }
}
