#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How fast `CaptureReader` walks a capture, frames only (no decoding):
/// the figure `agentctl bench` sets against the 500 MB/s target and that
/// Scripts/compare-readers.sh sets against libpcap.
public struct CaptureReadRate: Sendable {
    public var frames: Int
    public var bytes: Int
    public var seconds: Double
    /// A sum over one byte of every frame, so the optimiser cannot drop the reads.
    public var checksum: UInt64

    public var megabytesPerSecond: Double { seconds > 0 ? Double(bytes) / 1e6 / seconds : 0 }

    /// Reads every frame of the capture at `path`, touching each frame's last byte.
    public static func measure(path: String) throws(CaptureError) -> CaptureReadRate {
        let start = now()
        var reader = try CaptureReader.open(path: path)
        var sum: UInt64 = 0
        while let frame = try reader.next() {
            if let last = frame.data.last { sum &+= UInt64(last) }
        }
        return CaptureReadRate(frames: reader.framesRead, bytes: reader.bytesRead, seconds: now() - start, checksum: sum)
    }

    private static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
