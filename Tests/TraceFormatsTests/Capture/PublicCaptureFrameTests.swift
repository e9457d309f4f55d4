import Foundation
import Testing
import TraceFormats

/// The public captures (real files from sngrep's and sipnab's test folders)
/// read without error, frame for frame as Wireshark reads them: same count,
/// same time to the nanosecond, same captured and wire lengths. Skipped
/// when the folder or tshark is missing (they are not in the repository).
@Suite(.enabled(if: Tshark.path != nil && Tshark.publicCaptures != nil, "needs ../shared/fixtures/public-pcaps and tshark"))
struct PublicCaptureFrameTests {
    @Test(arguments: Tshark.publicCaptureFiles)
    func readsLikeWireshark(_ file: URL) throws {
        let path = file.path
        let expected = try Tshark.frameLines(path)
        var reader = try CaptureReader.open(path: path)
        var got: [String] = []
        while let f = try reader.next() { got.append(PublicCaptures.line(f)) }
        #expect(!expected.isEmpty)
        #expect(got.count == expected.count)
        #expect(got == expected)
        #expect(reader.warnings.isEmpty)
        #expect(reader.bytesRead == reader.fileSize)
    }
}

/// A frame as tshark's `frame.time_epoch`, `frame.cap_len`, `frame.len` print it.
enum PublicCaptures {
    static func line(_ f: Frame) -> String {
        let s = f.timestampNanos / 1_000_000_000, ns = f.timestampNanos % 1_000_000_000
        let frac = String(ns)
        return "\(s).\(String(repeating: "0", count: 9 - frac.count))\(frac)\t\(f.data.count)\t\(f.originalLength)"
    }
}
