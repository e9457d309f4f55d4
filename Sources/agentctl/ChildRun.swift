import SIPCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a program to completion with its output discarded, and reports
/// its wall time, its CPU time and its own peak resident size (from
/// wait4's rusage, so the figures are that process's alone, not the
/// benchmark's).
struct ChildRun {
    var seconds: Double
    /// User plus system CPU time: on a machine others load, wall time
    /// grows with their work and this does not (much).
    var cpuSeconds: Double
    /// Peak resident set, bytes.
    var peakRSS: Int
    var status: Int32

    static func run(_ argv: [String]) -> ChildRun? {
        var pid: pid_t = 0
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for a in cArgs { free(a) } }
        let start = ContinuousClock.now
        guard posix_spawnp(&pid, argv[0], &actions, nil, &cArgs, environ) == 0 else { return nil }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let elapsed = ContinuousClock.now - start
        let seconds = elapsed.inSeconds
        // ru_maxrss is in kilobytes on Linux.
        func time(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return ChildRun(seconds: seconds, cpuSeconds: time(usage.ru_utime) + time(usage.ru_stime), peakRSS: Int(usage.ru_maxrss) * 1024, status: (status >> 8) & 0xFF)
    }
}
