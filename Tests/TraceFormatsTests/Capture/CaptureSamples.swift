import Foundation
import TraceFormats

/// A frame copied out of the reader's buffer, to compare after the fact.
struct CopiedFrame: Equatable, CustomStringConvertible {
    var number: Int
    var timestampNanos: Int64
    var linkType: LinkType
    var originalLength: Int
    var interface: Int
    var data: [UInt8]

    init(number: Int, timestampNanos: Int64, linkType: LinkType, originalLength: Int, interface: Int, data: [UInt8]) {
        self.number = number
        self.timestampNanos = timestampNanos
        self.linkType = linkType
        self.originalLength = originalLength
        self.interface = interface
        self.data = data
    }

    init(_ f: Frame) {
        number = f.number
        timestampNanos = f.timestampNanos
        linkType = f.linkType
        originalLength = f.originalLength
        interface = f.interface
        data = Array(f.data)
    }

    var description: String { "#\(number) t=\(timestampNanos) \(linkType) if\(interface) \(data.count)/\(originalLength)" }
}

/// Builders and readers shared by the capture tests.
enum CaptureSamples {
    /// Distinct, deterministic bytes for frame `n`, so a frame read from the
    /// wrong offset cannot pass for the right one.
    static func payload(_ n: Int, length: Int) -> [UInt8] {
        (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ n &* 7 &+ 1) }
    }

    /// A time in 2026 with sub-microsecond digits.
    static let baseNanos: Int64 = 1_790_000_000_123_456_789

    /// Reads every frame of an in-memory capture.
    static func readAll(_ bytes: [UInt8], name: String = "test.pcap") throws -> (frames: [CopiedFrame], warnings: [String]) {
        var reader = try CaptureReader(bytes: bytes, name: name)
        var frames: [CopiedFrame] = []
        while let f = try reader.next() { frames.append(CopiedFrame(f)) }
        return (frames, reader.warnings)
    }

    /// Reads a capture file from disk.
    static func readFile(_ path: String) throws -> (frames: [CopiedFrame], warnings: [String], bytesRead: Int) {
        var reader = try CaptureReader.open(path: path)
        var frames: [CopiedFrame] = []
        while let f = try reader.next() { frames.append(CopiedFrame(f)) }
        return (frames, reader.warnings, reader.bytesRead)
    }

    /// The error a capture's reading throws, or nil when it reads.
    static func error(_ bytes: [UInt8], name: String = "test.pcap") -> CaptureError? {
        do {
            _ = try readAll(bytes, name: name)
            return nil
        } catch let e as CaptureError {
            return e
        } catch {
            return nil
        }
    }

    /// A little pcap: `count` Ethernet frames of growing length.
    static func pcap(count: Int, nanosecond: Bool = false, byteOrder: CaptureByteOrder = .littleEndian) throws -> [UInt8] {
        let w = try PcapWriter(linkType: .ethernet, nanosecond: nanosecond, byteOrder: byteOrder)
        for n in 1...count {
            try w.append(timestampNanos: baseNanos + Int64(n) * 20_000_000, data: payload(n, length: 60 + n))
        }
        return w.bytes
    }

    /// Byte offset of record `n` (from 1) in a pcap written by `pcap(count:)`.
    static func pcapRecordOffset(_ n: Int) -> Int {
        var at = 24
        for k in 1..<n { at += 16 + 60 + k }
        return at
    }

    /// Overwrites a 32-bit little-endian field.
    static func put32(_ bytes: inout [UInt8], at: Int, _ v: UInt32) {
        for i in 0..<4 { bytes[at + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(i))) }
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capture-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}
