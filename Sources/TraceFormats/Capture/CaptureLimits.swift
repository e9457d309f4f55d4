/// The sizes past which a record or block is taken for damage rather than
/// data, so that a hostile length neither allocates gigabytes nor hides the
/// real problem.
enum CaptureLimits {
    /// libpcap's MAXIMUM_SNAPLEN and Wireshark's WTAP_MAX_PACKET_SIZE_STANDARD:
    /// no capture tool writes a larger frame for ordinary link types.
    static let standardFrame = 262_144

    /// libpcap's max_snaplen_for_dlt: a few link types carry whole messages.
    static func maxCapturedLength(_ link: LinkType) -> Int {
        switch link.rawValue {
        case 231, 249: return 128 << 20 // D-Bus, USBPcap
        case 279: return 8 << 20 // EBHSCR
        default: return standardFrame
        }
    }

    /// The largest pcapng block: libpcap's INITIAL_MAX_BLOCKSIZE (16 MiB),
    /// grown like libpcap's MAX_BLOCKSIZE_FOR_SNAPLEN when an interface's
    /// link type allows larger frames (an EPB with such a frame and 128 KiB
    /// of options).
    static let defaultMaxBlock = 16 << 20

    static func maxBlock(forFrame frame: Int) -> Int {
        max(defaultMaxBlock, 32 + frame + 131_072)
    }
}
