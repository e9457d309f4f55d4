import Testing
@testable import Configuration

@Suite struct HTTPSourceSettingsTests {
    @Test func theCallIDIsPercentEncodedIntoTheTemplate() {
        let source = HTTPSourceSettings(name: "api", urlTemplate: "https://c.example.net/calls/{callid}/pcap?id={callid}")
        #expect(source.url(forCallID: "89f3a1b2-c4d5@10.10.1.50") == "https://c.example.net/calls/89f3a1b2-c4d5%4010.10.1.50/pcap?id=89f3a1b2-c4d5%4010.10.1.50")
        #expect(source.url(forCallID: "../../etc/passwd;x=y&z #\u{1}é") == "https://c.example.net/calls/..%2F..%2Fetc%2Fpasswd%3Bx%3Dy%26z%20%23%01%C3%A9/pcap?id=..%2F..%2Fetc%2Fpasswd%3Bx%3Dy%26z%20%23%01%C3%A9")
    }
}
