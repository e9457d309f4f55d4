import Diagnosis
import Foundation
import TraceFormats

/// What the engine concludes for every trace in a folder, one line per
/// call (verdict family, first failure, confidence), headed by the engine
/// version: the golden file `Fixtures/engine-verdicts.txt`. A test
/// recomputes it, so a rule change that moves a verdict without a bump of
/// `Diagnosis.engineVersion` fails, and so does a bump without the file.
public struct EngineVerdicts: Sendable, Equatable {
    public var engineVersion: Int
    /// `path | Call-ID | family | first failure | confidence`, paths
    /// relative to the folder, in path order.
    public var lines: [String]

    /// The command that writes the file, quoted in the test's failures.
    public static let regenerate = "swift run agentctl engine-verdicts Fixtures/traces > Fixtures/engine-verdicts.txt"

    /// Today's engine over every `.txt` and `.json` trace under `folder`,
    /// each call of each diagnosed as `agentctl diagnose` does with no
    /// `--peer`.
    public static func compute(tracesIn folder: String, diagnoser: Diagnoser = Diagnoser()) -> EngineVerdicts {
        let files = (FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".txt") || $0.hasSuffix(".json") }.sorted()
        let loader = CallTraceLoader(diagnoser: diagnoser)
        var lines: [String] = []
        for f in files {
            let trace: Trace
            do {
                trace = try loader.read(.file(path: folder + "/" + f))
            } catch {
                lines.append("\(f) | unreadable: \(error.description)")
                continue
            }
            for d in diagnoser.diagnoseAll(trace) {
                let failure = d.firstFailure.map { "#\($0.messageIndex) \($0.summary)" } ?? "no failure"
                lines.append("\(f) | \(d.callID) | \(d.verdict.family) | \(failure) | \(d.confidence.level.rawValue)")
            }
        }
        return EngineVerdicts(engineVersion: Diagnosis.engineVersion, lines: lines)
    }

    public init(engineVersion: Int, lines: [String]) {
        self.engineVersion = engineVersion
        self.lines = lines
    }

    /// Reads the file back; nil when it has no `engine-version` line.
    public init?(parsing text: String) {
        var version: Int?
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where !line.hasPrefix("#") {
            if line.hasPrefix("engine-version "), version == nil {
                version = Int(line.dropFirst("engine-version ".count))
            } else {
                lines.append(String(line))
            }
        }
        guard let version else { return nil }
        self.init(engineVersion: version, lines: lines)
    }

    /// What is wrong with `recorded` (the file) given `self` (today's
    /// engine), in words that say what to do; nil when they agree.
    public func mismatch(with recorded: EngineVerdicts) -> String? {
        guard recorded.engineVersion == engineVersion else {
            return "Diagnosis.engineVersion is \(engineVersion) but Fixtures/engine-verdicts.txt was made by engine \(recorded.engineVersion): regenerate it with \(Self.regenerate)"
        }
        // A verdict moved for a trace both know: the rules changed.
        let paths = Set(lines.map(Self.path)), recordedPaths = Set(recorded.lines.map(Self.path))
        let gone = recorded.lines.filter { paths.contains(Self.path($0)) && !lines.contains($0) }
        if !gone.isEmpty {
            let new = lines.filter { recordedPaths.contains(Self.path($0)) && !recorded.lines.contains($0) }
            return """
                the verdicts changed while Diagnosis.engineVersion stayed \(engineVersion): bump it (a cache would serve the old verdicts) and regenerate with \(Self.regenerate)
                recorded:
                \(gone.map { "  " + $0 }.joined(separator: "\n"))
                now:
                \(new.map { "  " + $0 }.joined(separator: "\n"))
                """
        }
        // Traces added or removed: no verdict moved, but the file must list them.
        guard paths == recordedPaths else {
            let added = paths.subtracting(recordedPaths).sorted(), removed = recordedPaths.subtracting(paths).sorted()
            return "Fixtures/engine-verdicts.txt does not list the traces there are (new: \(added.joined(separator: ", ")); gone: \(removed.joined(separator: ", "))): regenerate it with \(Self.regenerate)"
        }
        return nil
    }

    /// The trace a line is about.
    static func path(_ line: String) -> Substring {
        line.prefix { $0 != "|" }
    }

    public var text: String {
        """
        # The verdict family, first failure and confidence the engine gives each
        # call of every trace under Fixtures/traces. Change a rule, and if this
        # changes, bump Diagnosis.engineVersion and regenerate:
        #   \(Self.regenerate)
        engine-version \(engineVersion)

        """ + lines.map { $0 + "\n" }.joined()
    }
}
