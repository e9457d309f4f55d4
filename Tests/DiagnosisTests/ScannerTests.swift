import Testing
@testable import Diagnosis

/// Scanners, toll-fraud probes and the ghost calls they ring: a security
/// finding with the guide's fix, never credentials for the attacker, and a
/// confidence that follows what the INVITE actually shows.
@Suite struct ScannerTests {
    @Test func challengedProbeAbroadIsASecurityFindingNotAnAuthFailure() throws {
        let d = try Fixture.diagnose("sip-scanner/catch.txt")
        #expect(d.verdict.family == "sip-scanner")
        #expect(d.verdict.headline.hasPrefix("Security: a SIP scanner or toll-fraud bot at 203.0.113.200 probed 198.51.100.10:5060"))
        #expect(d.verdict.headline.contains("international (9011...)"))
        #expect(d.firstFailure?.messageIndex == 2)
        #expect(d.evidenceText.contains("401 Unauthorized and no retry with credentials followed"))
        #expect(d.evidenceText.contains("dialled 9011441613260000: an international (9011...) number, what toll fraud calls"))
        #expect(d.fixSteps[0].contains("Restrict"))
        #expect(d.fixSteps[1].contains("fail2ban"))
        #expect(!d.fixSteps.contains { $0.localizedCaseInsensitiveContains("configure credentials") || $0.contains("Reset the SIP password") })
        #expect(d.confidence.level == .high)
        #expect(!d.otherFindings.contains { $0.family == "auth-failure" })
    }

    @Test func forgedHeadersWithoutAScannerUserAgentStillMakeTheFinding() throws {
        let d = try Fixture.diagnose("sip-scanner/catch-spoofed.txt")
        #expect(d.verdict.family == "sip-scanner")
        #expect(d.evidenceText.contains("From has no tag"))
        #expect(d.evidenceText.contains("dialled 00972592000001"))
        #expect(d.evidenceText.contains("INVITE without SDP"))
        #expect(!d.evidenceText.contains("known SIP scanner"))
        // Two forged headers: as sure as a signature.
        #expect(d.confidence.level == .high)
        #expect(d.confidence.reason.contains("2 forged headers"))
    }

    @Test func softphoneCalledSIPClientIsNotAScanner() {
        #expect(UserAgentKind("SIPClient/2.3.1 (Android 14)") != .scanner)
        #expect(UserAgentKind("sipcli/v1.8") == .scanner)
        #expect(UserAgentKind("friendly-scanner") == .scanner)
        #expect(UserAgentKind("VaxSIPUserAgent/3.1") == .scanner)
        #expect(UserAgentKind("SIP Call") == .scanner)
        #expect(UserAgentKind("Polycom VVX 450 6.4.3.4120") == .phone)
    }

    @Test func unconfiguredSoftphoneDiallingAProbeExtensionIsAnAuthFailure() throws {
        // Unknown public address, challenged, never retried, To 1000: no
        // signature, no forgery, no toll destination. A user who lacks a
        // password, not an attack.
        let d = try Fixture.diagnose("sip-scanner/near-miss-no-credentials.txt")
        #expect(d.verdict.family == "auth-failure")
        // Still an unknown public address: credentials only once it is known to be ours.
        #expect(d.fixSteps[0].hasPrefix("First make sure 203.0.113.45:52814 is one of your devices or trunks"))
        #expect(d.fixSteps[1].hasPrefix("Configure credentials"))
        #expect(!Fixture.flagsProblem("sip-scanner", in: try Fixture.findings("sip-scanner/near-miss-no-credentials.txt")))
    }

    @Test func ghostCallOnTheLANNamesTheHostInside() throws {
        let d = try Fixture.diagnose("ghost-call/catch-lan.txt")
        #expect(d.verdict.headline == "Ghost call: a SIP scanner inside the LAN (192.168.1.77) rang 192.168.1.50:5060 directly")
        #expect(d.verdict.responsibleSide?.contains("a host on the LAN") == true)
        #expect(d.fixSteps[1].contains("Restrict 192.168.1.50:5060's SIP port"))
        #expect(d.confidence.level == .high)
    }

    @Test func ghostCallDoesNotHangOnTheRingingPhonesName() throws {
        // The phone rang: that is what makes it the target, whatever --peer calls it.
        for peers in [[], ["192.168.1.50/32=DESK"], ["192.168.1.0/24=PHONE"]] {
            let d = try Fixture.diagnose("ghost-call/catch.txt", peers: peers)
            #expect(d.verdict.family == "ghost-call", "peers \(peers)")
        }
    }

    @Test func delayedOfferFromAnUnnamedSBCIsNoGhostCall() throws {
        // No SDP is a hint, not a sign: real SBCs send delayed offers, and
        // without --peer the SBC is just an unknown public address.
        let findings = try Fixture.findings("ghost-call/near-miss-delayed-offer.txt")
        #expect(!Fixture.flagsProblem("ghost-call", in: findings))
        #expect(!Fixture.flagsProblem("sip-scanner", in: findings))
        #expect(try Fixture.diagnose("ghost-call/near-miss-delayed-offer.txt").verdict.outcome == .notAFault)
    }

    @Test func probeExtensionAloneIsAPossibleGhostCallWithLowConfidence() throws {
        let d = try Fixture.diagnose("ghost-call/near-miss-peer-1000.txt")
        #expect(d.verdict.family == "ghost-call")
        #expect(d.verdict.headline.hasPrefix("Possible ghost call"))
        #expect(!d.verdict.headline.contains("scanner"))
        #expect(d.confidence.level == .low)
        #expect(!d.confidence.reason.contains("scanner signature in"))
    }
}
