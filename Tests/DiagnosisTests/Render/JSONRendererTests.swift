import Diagnosis
import Foundation
import Testing

@Suite struct JSONRendererTests {
    @Test(arguments: [RenderSamples.healthy, RenderSamples.codecMismatch])
    func roundTrips(_ d: Diagnosis) throws {
        let json = JSONRenderer().render(d)
        let back = try JSONDecoder().decode(Diagnosis.self, from: Data(json.utf8))
        #expect(back == d)
    }

    @Test func carriesTheSchemaVersionWithSortedKeys() throws {
        let json = JSONRenderer().render(RenderSamples.codecMismatch)
        #expect(json.contains("\"schemaVersion\" : 1"))
        let callID = try #require(json.range(of: "\"callID\""))
        let verdict = try #require(json.range(of: "\"verdict\""))
        #expect(callID.lowerBound < verdict.lowerBound)
    }

    @Test func enumValuesUseTheirDocumentedNames() {
        let json = JSONRenderer().render(RenderSamples.codecMismatch)
        #expect(json.contains("\"outcome\" : \"failed\""))
        #expect(json.contains("\"namedBy\" : \"peer-map\""))
        #expect(json.contains("\"state\" : \"rejected\""))
    }

    @Test func severalCallsAreWrappedWithTheVersion() throws {
        let json = JSONRenderer().render([RenderSamples.healthy, RenderSamples.codecMismatch])
        let list = try JSONDecoder().decode(JSONRenderer.DiagnosisList.self, from: Data(json.utf8))
        #expect(list.schemaVersion == 1)
        #expect(list.diagnoses == [RenderSamples.healthy, RenderSamples.codecMismatch])
    }

    @Test func callListDecodes() throws {
        let entries = [CallTable.Entry(RenderSamples.codecMismatch)]
        let json = JSONRenderer().render(calls: entries)
        let list = try JSONDecoder().decode(JSONRenderer.CallList.self, from: Data(json.utf8))
        #expect(list.calls == entries)
        #expect(list.calls.first?.messages == 9)
    }
}
