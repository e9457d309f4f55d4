import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The port blocks scenarios run on: never shared, never one in use.
struct PortBlockTests {
    @Test func consecutiveBlocksDoNotOverlap() throws {
        let a = try PortBlock.next(), b = try PortBlock.next()
        #expect(a.last < b.base || b.last < a.base, "\(a.base)-\(a.last) and \(b.base)-\(b.last)")
        #expect(PortBlock.range.contains(a.base) && PortBlock.range.contains(a.last))
    }

    @Test func aBlockWithAPortInUseIsNotFree() throws {
        let block = try PortBlock.next()
        #expect(block.isFree)
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var address = LoopbackAddress.make(port: block.callerMedia)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0)
        #expect(!block.isFree)
        #expect(LoopbackAddress.isBound(port: block.callerMedia))
    }
}
