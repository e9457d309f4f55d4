/// Secrets a caller sends (Slack's signature, a Mattermost webhook's
/// token) compared without telling, through the time taken, how much of a
/// guess was right: every byte is looked at whatever the first
/// difference, and a length mismatch costs the same loop.
enum ConstantTime {
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for i in 0..<max(a.count, b.count) {
            difference |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return difference == 0
    }
}
