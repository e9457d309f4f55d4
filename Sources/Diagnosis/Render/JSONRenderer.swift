import Foundation

/// The explanation for machines: `Diagnosis` as JSON, keys sorted and
/// pretty printed so output is stable and diffs well. The schema is
/// documented, with its versioning policy, in `docs/json-schema.md`.
public struct JSONRenderer: Sendable {
    public init() {}

    /// Several calls from one trace: `{"schemaVersion": 1, "diagnoses": [...]}`.
    public struct DiagnosisList: Sendable, Codable, Equatable {
        public var schemaVersion: Int
        public var diagnoses: [Diagnosis]
        public init(_ diagnoses: [Diagnosis]) {
            self.schemaVersion = Diagnosis.schemaVersion
            self.diagnoses = diagnoses
        }
    }

    /// A trace with too many calls to explain at once: one line per call,
    /// so the caller can pick one with `--call-id`.
    public struct CallList: Sendable, Codable, Equatable {
        public var schemaVersion: Int
        public var calls: [CallTable.Entry]
        public init(_ calls: [CallTable.Entry]) {
            self.schemaVersion = Diagnosis.schemaVersion
            self.calls = calls
        }
    }

    public func render(_ d: Diagnosis) -> String { encode(d) }
    public func render(_ all: [Diagnosis]) -> String { encode(DiagnosisList(all)) }
    public func render(calls: [CallTable.Entry]) -> String { encode(CallList(calls)) }

    private func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain structs of strings and numbers cannot fail except
        // on a non-finite Double (a corrupt timestamp); say so in the
        // output instead of crashing.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        guard let data = try? encoder.encode(value) else {
            return "{\n  \"error\" : \"could not encode the diagnosis\",\n  \"schemaVersion\" : \(Diagnosis.schemaVersion)\n}\n"
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
