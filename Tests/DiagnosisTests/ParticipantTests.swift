import Testing
@testable import Diagnosis

/// How the boxes of the ladder get their names.
@Suite struct ParticipantTests {
    @Test func traceLabelsNameTheBoxes() throws {
        let d = try Fixture.diagnose("first-failure/failover.txt")
        #expect(d.participants.map(\.name) == ["PHONE", "CORE", "CARRIER-A", "CARRIER-B"])
        #expect(d.participants.allSatisfy { $0.namedBy == .traceLabel })
    }

    @Test func peerMapNamesTheSBC() throws {
        let d = try Fixture.diagnose("ghost-call/near-miss.txt", peers: ["198.51.100.0/24=SBC"])
        let sbc = try #require(d.participants.first { $0.address == "198.51.100.10:5060" })
        #expect(sbc.name == "SBC")
        #expect(sbc.namedBy == .peerMap)
    }

    @Test func withoutAPeerMapAnAddressStaysAnAddress() throws {
        let d = try Fixture.diagnose("ghost-call/near-miss.txt")
        #expect(d.participants.first?.name == "198.51.100.10:5060")
        #expect(d.participants.first?.namedBy == .address)
    }

    @Test func privateAddressWithAPhoneUserAgentIsPHONE() throws {
        // Yealink on 192.168.1.50 sending the INVITE; the LAN PBX it calls keeps its address.
        let d = try Fixture.diagnose("codec-mismatch/catch.txt")
        let phone = try #require(d.participants.first { $0.address == "192.168.1.50:5060" })
        #expect(phone.name == "PHONE")
        #expect(phone.namedBy == .heuristic)
        #expect(d.participants.contains { $0.name == "192.168.1.10:5060" && $0.namedBy == .address })
    }

    @Test func polycomBehindNATIsPHONE() throws {
        // Seen from the core: public source, private Via, Polycom User-Agent.
        let d = try Fixture.diagnose("nat-one-way-audio/catch.txt")
        let phone = try #require(d.participants.first { $0.address == "203.0.113.50:5060" })
        #expect(phone.name == "PHONE")
        #expect(phone.namedBy == .heuristic)
    }

    @Test func scannerOnAPublicAddressIsNotAPhone() throws {
        let d = try Fixture.diagnose("ghost-call/catch.txt")
        #expect(d.participants.first?.name == "203.0.113.200:5070")
        #expect(d.participants.contains { $0.name == "PHONE" && $0.address == "192.168.1.50:5060" })
    }

    @Test func rawSIPInfersTheEndsFromViaAndRequestURI() throws {
        let d = try Fixture.diagnose("participants/raw-no-addresses.txt")
        #expect(d.participants.count == 2)
        let caller = try #require(d.participants.first)
        #expect(caller.address == "192.168.1.50:5060")
        #expect(caller.name == "PHONE")
        #expect(d.participants.contains { $0.address == "203.0.113.10:5060" })
        // The 200 OK travels back from the INVITE's target to the caller.
        let ok = try #require(d.ladder.first { $0.label == "200 OK" })
        #expect(d.participants[ok.from].address == "203.0.113.10:5060")
        #expect(d.participants[ok.to].address == "192.168.1.50:5060")
    }
}
