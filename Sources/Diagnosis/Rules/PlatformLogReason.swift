import TraceFormats

/// Why the platform answered as it did, in its own log's words. The
/// wording matched is the platforms' own: Asterisk's "No RTP engine was
/// found. Do you have one loaded?" (rtp_engine.c), "No joint capabilities
/// for 'audio' media stream" (res_pjsip_sdp_rtp.c), "Maximum call limit of
/// N calls exceeded" (maxcalls), "extension ... rejected because extension
/// not found in context" (res_pjsip_session.c); FreeSWITCH's hangup causes
/// (`[INCOMPATIBLE_DESTINATION]`, `[NO_ROUTE_DESTINATION]`), mod_hash's
/// "Usage for ... is already at max value", "Over Session Limit!";
/// Kamailio rtpengine's "no available proxies".
public enum PlatformLogReason: String, Sendable, CaseIterable {
    case noRTPEngine = "no-rtp-engine"
    case acl
    case noCommonCodec = "no-common-codec"
    case channelLimit = "channel-limit"
    case dialPlanMiss = "dial-plan-miss"

    public init?(_ line: PlatformLogLine) {
        let text = line.text.lowercased()
        let cause = (line.hangupCause ?? "").uppercased()
        func any(_ words: [String]) -> Bool { words.contains { text.contains($0) } }
        if any(["not found in context", "no route, aborting", "no_route_destination"]) || cause == "NO_ROUTE_DESTINATION" {
            self = .dialPlanMiss
        } else if any(["no joint capabilities", "no compatible codec", "no common codec", "no matching codec", "incompatible_destination"])
                    || cause == "INCOMPATIBLE_DESTINATION" {
            self = .noCommonCodec
        } else if any(["no rtp engine", "no available proxies"])
                    || (any(["rtpengine", "rtpproxy", "rtp proxy"]) && any(["can't", "cannot", "fail", "timeout", "timed out", "no reply", "unreachable"])) {
            self = .noRTPEngine
        } else if any(["call limit", "call-limit", "call_limit", "channel limit", "max calls", "maxcalls", "maximum call",
                       "already at max value", "over session limit", "throttle error", "max-sessions", "too many channels"]) {
            self = .channelLimit
        } else if Self.namesACL(text) {
            self = .acl
        } else {
            return nil
        }
    }

    /// `ACL` as a word (`acl`, `ice_acl`, `contact_acl`, "Not matched by
    /// ACL"), not inside another word (`oracle`).
    static func namesACL(_ text: String) -> Bool {
        var rest = text[...]
        while let r = rest.range(of: "acl") {
            let before = rest[..<r.lowerBound].last, after = rest[r.upperBound...].first
            if !(before?.isLetter ?? false), !(after?.isLetter ?? false) { return true }
            rest = rest[r.upperBound...]
        }
        return false
    }

    /// True when an ACL line is about media (ICE/STUN candidates, RTP), not signalling.
    public static func isMedia(_ line: PlatformLogLine) -> Bool {
        let t = line.text.lowercased()
        return ["candidate", "ice", "stun", "turn", "rtp", "media"].contains { t.contains($0) }
    }

    /// What the platform's words mean, for the headline.
    func meaning(_ line: PlatformLogLine) -> String {
        switch self {
        case .noRTPEngine: "it has no RTP engine to handle the media"
        case .acl: Self.isMedia(line) ? "a media (candidate) ACL refused the address" : "an ACL refused the address"
        case .noCommonCodec: "it has no codec in common with the offer"
        case .channelLimit: "a channel or call limit was reached"
        case .dialPlanMiss: "its dial plan has no match for the number"
        }
    }

    var fixSteps: [String] {
        switch self {
        case .noRTPEngine: [
            "Load the RTP engine and keep it loaded: Asterisk `module load res_rtp_asterisk.so` and a `load =>` line in modules.conf; Kamailio: start the rtpengine daemon and check its control socket (`rtpengine_sock`) with `kamcmd rtpengine.show all`.",
            "Until it is back, every call that needs media fails or goes unanchored: expect no audio through NAT.",
        ]
        case .acl: [
            "Find the ACL the log names: Asterisk endpoint `acl`/`contact_acl`, or the RTP candidate ACLs (`ice_acl`, `stun_acl` in rtp.conf); FreeSWITCH `apply-inbound-acl`, `apply-candidate-acl`.",
            "If the refused address is legitimate (a new office, a carrier's new media range), permit it there; if you do not know it, leave it blocked: the ACL did its job.",
        ]
        case .noCommonCodec: [
            "Allow a codec the offer carries on the platform's endpoint or profile (Asterisk `allow=` on the endpoint; FreeSWITCH `inbound-codec-prefs`/`outbound-codec-prefs`), or enable transcoding to one it has.",
            "Compare the offer's m= line with the codecs the platform's log lists as its own configuration.",
        ]
        case .channelLimit: [
            "Compare the limit that refused the call (Asterisk `maxcalls` in asterisk.conf or a GROUP_COUNT check; FreeSWITCH `limit`, `max-sessions`, `sessions-per-second`; a trunk's channel count) with the calls in progress at that moment.",
            "Raise the limit or add capacity, or send overflow to another route.",
        ]
        case .dialPlanMiss: [
            "Add the dialled number, or a pattern that matches it, to the dial-plan context the call arrived in (Asterisk extensions.conf, the endpoint's `context=`; FreeSWITCH a dialplan extension on destination_number in that context), then reload the dial plan.",
            "Check the endpoint or trunk lands in the context you expect: a trunk in the phones' context, or the reverse, is the usual cause.",
            "Check the number's format: a missing or extra prefix (+, 00, 9) makes an existing pattern miss.",
        ]
        }
    }
}
