import Foundation
import TraceSynthesis

/// Writes the capture fixtures (`Fixtures/captures/*.capture`, built by
/// TraceSynthesis as the tests build them) as pcaps into a corpus folder:
/// the capture harness's seeds, so no binary is committed.
/// Usage: write-capture-seeds <Fixtures/captures> <corpus dir>
@main enum WriteCaptureSeeds {
    static func main() throws {
        let args = CommandLine.arguments
        guard args.count == 3 else {
            FileHandle.standardError.write(Data("usage: write-capture-seeds <fixtures/captures> <corpus dir>\n".utf8))
            exit(64)
        }
        let scripts = try FileManager.default.contentsOfDirectory(atPath: args[1]).filter { $0.hasSuffix(".capture") }.sorted()
        for name in scripts {
            let bytes = try CaptureFixture.build(scriptAt: args[1] + "/" + name)
            // The first byte picks the harness's read mode (whole capture).
            _ = FileManager.default.createFile(atPath: args[2] + "/" + name + ".pcap", contents: Data([0] + bytes))
        }
    }
}
