import Foundation

/// Where `agentctl run` kills itself with a real SIGKILL when
/// `AGENTCTL_FAULT` names the point: the crash tests' way to stop the agent
/// at each step of a post and prove that a restart neither loses nor
/// duplicates it. Never set in production; unset, nothing happens.
public enum FaultPoint: String, Sendable, CaseIterable {
    /// An item is claimed and nothing else done.
    case afterClaim = "after-claim"
    /// The post intent is recorded and the post is on its way: the kill
    /// races the post, so the post may or may not have landed.
    case duringPost = "during-post"
    /// The back-end has the post; the ledger does not know yet.
    case afterPost = "after-post"

    public static let environmentVariable = "AGENTCTL_FAULT"

    /// The point the environment names; an unknown name is refused rather
    /// than ignored, so a test with a typo fails loudly.
    public static func from(environment: [String: String]) throws -> FaultPoint? {
        guard let name = environment[environmentVariable], !name.isEmpty else { return nil }
        guard let point = FaultPoint(rawValue: name) else {
            throw FaultPointError(name: name)
        }
        return point
    }
}

public struct FaultPointError: Error, CustomStringConvertible {
    public var name: String
    public var description: String {
        "\(FaultPoint.environmentVariable)=\(name) is not a fault point; use one of \(FaultPoint.allCases.map(\.rawValue).joined(separator: ", ")) or unset it"
    }
}

/// Kills the process at the configured point.
struct FaultInjector: Sendable {
    var point: FaultPoint?

    func hit(_ here: FaultPoint) {
        guard point == here else { return }
        kill(getpid(), SIGKILL)
    }

    /// For `duringPost`: the kill comes from another thread while the post
    /// runs on this one.
    func arm(_ here: FaultPoint) {
        guard point == here else { return }
        Thread.detachNewThread {
            usleep(UInt32.random(in: 0...2000))
            kill(getpid(), SIGKILL)
        }
    }
}
