import Foundation
import Testing
import TraceFormats
@testable import Diagnosis

/// The JSON output against docs/diagnosis.schema.json, read by a small
/// validator (type, required, properties, items, $ref, enum, const,
/// minimum, maximum, oneOf). A key the schema does not list fails too: a
/// field added to the output must be documented.
@Suite struct JSONSchemaConformanceTests {
    /// Read for each use: `[String: Any]` cannot be a shared constant.
    static var schema: [String: Any] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/diagnosis.schema.json")
        let data = FileManager.default.contents(atPath: url.path) ?? Data()
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    static func problems(_ json: String) -> [String] {
        guard let value = try? JSONSerialization.jsonObject(with: Data(json.utf8)) else { return ["not JSON"] }
        var out: [String] = []
        let root = schema
        validate(value, against: root, root: root, at: "$", into: &out)
        return out
    }

    static func resolve(_ s: [String: Any], _ root: [String: Any]) -> [String: Any] {
        guard let ref = s["$ref"] as? String, ref.hasPrefix("#/$defs/"),
              let defs = root["$defs"] as? [String: Any], let target = defs[String(ref.dropFirst(8))] as? [String: Any] else { return s }
        return resolve(target, root)
    }

    static func validate(_ v: Any, against raw: [String: Any], root: [String: Any], at path: String, into out: inout [String]) {
        let s = resolve(raw, root)
        if let options = s["oneOf"] as? [[String: Any]] {
            var results: [[String]] = []
            for option in options {
                var scratch: [String] = []
                validate(v, against: option, root: root, at: path, into: &scratch)
                results.append(scratch)
            }
            let passing = results.filter(\.isEmpty).count
            if passing == 0, let closest = results.min(by: { $0.count < $1.count }) {
                out += closest
            } else if passing > 1 {
                out.append("\(path): matches \(passing) of the oneOf shapes")
            }
            return
        }
        if let allowed = s["enum"] as? [String], !allowed.contains(v as? String ?? "\u{0}") { out.append("\(path): \(v) not in enum") }
        if let c = s["const"] as? Int, (v as? Int) != c { out.append("\(path): \(v) is not \(c)") }
        if let type = s["type"] as? String, !matches(v, type) { out.append("\(path): \(v) is not \(type)") }
        if let n = (v as? NSNumber)?.doubleValue, !(v is Bool) {
            if let min = (s["minimum"] as? NSNumber)?.doubleValue, n < min { out.append("\(path): \(n) < \(min)") }
            if let max = (s["maximum"] as? NSNumber)?.doubleValue, n > max { out.append("\(path): \(n) > \(max)") }
        }
        if let object = v as? [String: Any] {
            let properties = s["properties"] as? [String: Any] ?? [:]
            for key in s["required"] as? [String] ?? [] where object[key] == nil { out.append("\(path): missing \(key)") }
            for (key, child) in object {
                guard let p = properties[key] as? [String: Any] else {
                    out.append("\(path).\(key): not in the schema")
                    continue
                }
                validate(child, against: p, root: root, at: "\(path).\(key)", into: &out)
            }
        }
        if let array = v as? [Any], let items = s["items"] as? [String: Any] {
            for (i, child) in array.enumerated() { validate(child, against: items, root: root, at: "\(path)[\(i)]", into: &out) }
        }
    }

    static func matches(_ v: Any, _ type: String) -> Bool {
        switch type {
        case "object": return v is [String: Any]
        case "array": return v is [Any]
        case "string": return v is String
        case "boolean": return v is Bool
        case "integer":
            guard let n = v as? NSNumber else { return false }
            return n.doubleValue == n.doubleValue.rounded()
        case "number": return v is NSNumber
        default: return true
        }
    }

    @Test func schemaIsReadable() {
        #expect(Self.schema["$defs"] != nil)
    }

    @Test(arguments: [RenderSamples.healthy, RenderSamples.codecMismatch, RenderSamples.measured])
    func sampleDiagnosesConform(_ d: Diagnosis) {
        #expect(Self.problems(JSONRenderer().render(d)) == [])
    }

    @Test func listsConform() {
        #expect(Self.problems(JSONRenderer().render([RenderSamples.healthy, RenderSamples.measured])) == [])
        #expect(Self.problems(JSONRenderer().render(calls: [CallTable.Entry(RenderSamples.measured)])) == [])
    }

    @Test func diagnosisOfACaptureConforms() throws {
        let (t, n) = try MediaRuleTests.natTimes()
        let media = MediaCapture(streams: [
            SyntheticMedia.stream(MediaRuleTests.pbx, MediaRuleTests.phoneSDP, start: t + 0.1, seconds: n - 0.2, ssrc: 1),
            SyntheticMedia.stream(MediaRuleTests.phoneNAT, MediaRuleTests.pbx, start: t + 0.1, seconds: n - 0.2, ssrc: 2, lossPercent: 2),
        ])
        let d = try Fixture.diagnose(MediaRuleTests.natCall, media: media)
        #expect(d.media?.streams.count == 2)
        #expect(Self.problems(JSONRenderer().render(d)) == [])
    }

    @Test func anUndocumentedFieldIsCaught() {
        let json = JSONRenderer().render(RenderSamples.healthy).replacingOccurrences(of: "\"callID\"", with: "\"surprise\" : 1,\n  \"callID\"")
        #expect(Self.problems(json).contains { $0.contains("surprise") })
    }
}
