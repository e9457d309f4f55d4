import Foundation
import Testing
import TraceFormats

@Suite struct BenchTemp {
    func write(_ unit: String, mb: Int) throws -> String {
        let path = NSTemporaryDirectory() + "/bench-\(UUID().uuidString).txt"
        let u = Array(unit.utf8)
        var chunk: [UInt8] = []
        for _ in 0..<((1 << 20) / u.count) { chunk.append(contentsOf: u) }
        FileManager.default.createFile(atPath: path, contents: nil)
        let h = FileHandle(forWritingAtPath: path)!
        var total = 0
        while total < mb << 20 { h.write(Data(chunk)); total += chunk.count }
        try h.close()
        return path
    }
    func run(_ name: String, _ unit: String) throws {
        let path = try write(unit, mb: 200)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        let clock = ContinuousClock()
        var kept: Trace? = nil
        var u0 = rusage(); getrusage(RUSAGE_SELF.rawValue, &u0)
        let d = try clock.measure { kept = try TraceLoader.load(path: path) }
        var u1 = rusage(); getrusage(RUSAGE_SELF.rawValue, &u1)
        func t(_ u: rusage) -> Double { Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6 }
        let cpu = t(u1) - t(u0)
        let n = kept!.messages.count
        let secs = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        print("BENCH \(name): \(size >> 20) MB, \(n) messages, \(String(format: "%.2f", secs)) s, \(String(format: "%.0f", Double(size) / 1e6 / secs)) MB/s wall, \(String(format: "%.2f", cpu)) s CPU, \(String(format: "%.0f", Double(size) / 1e6 / cpu)) MB/s CPU")
    }
    @Test func bench() throws {
        let raw = TestTraces.invite() + "\r\n" + TestTraces.response("200 OK") + "\r\n"
        let pad = (0..<6).map { "X-Header-\($0): some-longer-value-\($0)-abcdefghijklmnopqrstuvwxyz;param=1\r\n" }.joined()
        let bigger = TestTraces.invite().replacingOccurrences(of: "Max-Forwards: 70\r\n", with: "Max-Forwards: 70\r\n" + pad) + "\r\n" + TestTraces.response("200 OK").replacingOccurrences(of: "CSeq: 1 INVITE\r\n", with: "CSeq: 1 INVITE\r\n" + pad) + "\r\n"
        let only = ProcessInfo.processInfo.environment["BENCH_ONLY"]
        if only == nil || only == "raw" { try run("raw", raw) }
        if only == nil || only == "rawbig" { try run("raw, ~900-byte messages", bigger) }
        let portal = "[14:22:01.103] PHONE -> CORE\n" + TestTraces.invite(eol: "\n") + "\n[14:22:01.250] CORE -> PHONE\n" + TestTraces.response("200 OK", eol: "\n") + "\n"
        if only == nil || only == "portal" { try run("portal", portal) }
    }
}
