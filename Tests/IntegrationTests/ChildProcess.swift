import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program the suite starts (sipp, dumpcap), its output in files of the
/// scenario's folder. It is killed when let go of, so a failing or
/// throwing test leaves no process behind.
///
/// Started with posix_spawn rather than Foundation's Process: the test
/// runner's threads block SIGINT and SIGTERM, Process hands that mask on,
/// and dumpcap must be able to receive the signal that makes it close its
/// file. Here the child starts with no signal blocked and every handler
/// at its default.
final class ChildProcess {
    let name: String
    let stdoutPath: String
    let stderrPath: String
    private let pid: pid_t
    private var exitStatus: Int32?
    private var reaped = false

    /// Starts `executable`, its output in `<name>.out` and `<name>.err` in
    /// `directory`, its input /dev/null.
    init(name: String, executable: String, arguments: [String], directory: URL) throws {
        self.name = name
        stdoutPath = directory.appendingPathComponent("\(name).out").path
        stderrPath = directory.appendingPathComponent("\(name).err").path

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Files, not pipes: a pipe nobody reads would stall the child.
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, &attributes, argv, environ)
        guard rc == 0 else { throw SpawnFailed(executable: executable, reason: String(cString: strerror(rc))) }
        pid = child
    }

    deinit { kill() }

    var isRunning: Bool {
        reap(blocking: false)
        return !reaped
    }

    /// Waits for the child to exit by itself; past `seconds` it is killed.
    /// Returns its exit status, or nil when it had to be killed (or died
    /// of a signal). Blocks the calling thread.
    func wait(upTo seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while isRunning {
            if Date() >= deadline {
                kill()
                return nil
            }
            usleep(20_000)
        }
        return exitStatus
    }

    /// Sends `signal` (SIGTERM asks dumpcap to close its file).
    func signal(_ signal: Int32) {
        if isRunning { _ = Glibc.kill(pid, signal) }
    }

    /// SIGKILL, then reaps the child.
    func kill() {
        guard isRunning else { return }
        _ = Glibc.kill(pid, SIGKILL)
        reap(blocking: true)
    }

    private func reap(blocking: Bool) {
        guard !reaped else { return }
        var status: Int32 = 0
        let r = waitpid(pid, &status, blocking ? 0 : WNOHANG)
        guard r == pid || (r < 0 && errno == ECHILD) else { return }
        reaped = true
        // WIFEXITED / WEXITSTATUS, which Swift does not import.
        if r == pid, status & 0x7F == 0 { exitStatus = (status >> 8) & 0xFF }
    }

    /// What the child wrote on stderr, then stdout, for failure messages.
    var output: String {
        let err = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        let out = (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? ""
        return String((err + out).suffix(3_000))
    }

    struct SpawnFailed: Error, CustomStringConvertible {
        var executable: String
        var reason: String
        var description: String { "could not start \(executable): \(reason)" }
    }
}
