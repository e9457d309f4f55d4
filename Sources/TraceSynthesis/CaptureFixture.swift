import Foundation
import TraceFormats

/// A capture script file (`Fixtures/captures/*.capture`) built into pcap
/// bytes: the script, the text trace it names, the datagrams, the frames.
public enum CaptureFixture {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func build(scriptAt path: String, composer: CaptureComposer = CaptureComposer()) throws(Failure) -> [UInt8] {
        let packets = try packets(scriptAt: path)
        do {
            return try composer.pcap(packets)
        } catch {
            throw Failure(description: "\(path): \(error)")
        }
    }

    /// The script's datagrams, before any framing: to merge several
    /// scripts into one capture.
    public static func packets(scriptAt path: String) throws(Failure) -> [SynthPacket] {
        let url = URL(fileURLWithPath: path)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw Failure(description: "cannot read the capture script \(path)") }
        let script: CaptureScript
        do { script = try CaptureScript(parsing: text) } catch { throw Failure(description: "\(path): \(error)") }
        let tracePath = url.deletingLastPathComponent().appendingPathComponent(script.trace).standardized.path
        do {
            let trace = try TraceLoader.load(path: tracePath)
            return try CallSynthesizer(trace: trace, script: script).packets()
        } catch let e as TraceError {
            throw Failure(description: "\(path): its trace: \(e)")
        } catch {
            throw Failure(description: "\(path): \(error)")
        }
    }
}
