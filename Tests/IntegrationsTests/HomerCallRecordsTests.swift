@testable import Integrations
import Testing

/// Reading homer-app's search answer: rows kept only for the exact sid
/// (a `%` makes the search a LIKE), legs asked for once each, Call-ID first.
@Suite struct HomerCallRecordsTests {
    @Test func onlyRowsOfTheExactSessionAreKeptAndEachLegIsAskedForOnce() throws {
        let answer = #"""
        {"total":4,"keys":["id","sid","callid"],"data":[
          {"id":11,"sid":"ab%1@h","callid":"ab%1@h"},
          {"id":12,"sid":"abX1@h","callid":"abX1@h"},
          {"id":13,"sid":"ab%1@h","callid":"leg-b@core"},
          {"id":"14","sid":"ab%1@h","callid":"leg-b@core"}]}
        """#
        let records = try #require(HomerCallRecords(json: Array(answer.utf8)))
        let call = records.session("ab%1@h")
        #expect(call.rows.map(\.id) == [11, 13, 14])
        #expect(call.exportSIDs(for: "ab%1@h") == ["ab%1@h", "leg-b@core"])
    }

    @Test func anEmptyAnswerIsEmptyAndAnythingElseIsNotAnAnswer() {
        #expect(HomerCallRecords(json: Array(#"{"data":[],"keys":[],"total":0}"#.utf8))?.rows == [])
        #expect(HomerCallRecords(json: Array(#"{"data":null,"total":0}"#.utf8))?.rows == [])
        #expect(HomerCallRecords(json: Array(#"{"message":"db data retrieve error"}"#.utf8)) == nil)
        #expect(HomerCallRecords(json: Array("<html>".utf8)) == nil)
        #expect(HomerCallRecords(json: Array(#"{"data":"x","total":1}"#.utf8)) == nil)
    }
}
