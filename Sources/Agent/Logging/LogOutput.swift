import Foundation

/// Where a handler writes its lines. Each line is written whole, with one
/// `write(2)` under a lock, so lines from concurrent tasks never interleave.
public struct LogOutput: Sendable {
    let write: @Sendable (String) -> Void

    /// The agent's default: stdout stays free for what a command prints
    /// (`agentctl replay`'s annotation).
    public static let standardError = LogOutput(descriptor: 2)
    public static let standardOutput = LogOutput(descriptor: 1)

    /// Each line (without its newline) handed to `receive`: for tests, or
    /// to forward lines elsewhere.
    public static func lines(_ receive: @escaping @Sendable (String) -> Void) -> LogOutput {
        LogOutput(write: receive)
    }

    init(write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    /// A descriptor the process owns for its lifetime (the standard ones).
    init(descriptor: Int32) {
        let lock = NSLock()
        self.write = { line in
            var bytes = Array((line + "\n").utf8)
            lock.lock()
            defer { lock.unlock() }
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeMutableBytes { buffer in
                    Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                }
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return // a closed or full descriptor: a log line is not worth a crash
                }
            }
        }
    }
}
