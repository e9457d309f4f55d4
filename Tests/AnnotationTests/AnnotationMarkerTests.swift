@testable import Annotation
import Testing

@Suite struct AnnotationMarkerTests {
    let marker = AnnotationMarker(backend: "rt", thread: "4711", callIDs: ["b@h", "a@h"], engineVersion: 3)

    @Test func sha256MatchesTheStandardVectors() {
        #expect(SHA256.hex(SHA256.digest(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(SHA256.digest([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let twoBlocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        #expect(SHA256.hex(SHA256.digest(Array(twoBlocks.utf8))) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func theIdIsShortHexAndAValidTxnId() {
        #expect(marker.id.count == 20)
        #expect(marker.id.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(marker.text == "sipdiag:" + marker.id)
    }

    @Test func sameInputsSameIdAndCallIDOrderDoesNotMatter() {
        let again = AnnotationMarker(backend: "rt", thread: "4711", callIDs: ["a@h", "b@h", "a@h"], engineVersion: 3)
        #expect(again.id == marker.id)
        #expect(again == marker)
    }

    @Test func everyInputChangesTheId() {
        let others = [
            AnnotationMarker(backend: "rt2", thread: "4711", callIDs: ["a@h", "b@h"], engineVersion: 3),
            AnnotationMarker(backend: "rt", thread: "4712", callIDs: ["a@h", "b@h"], engineVersion: 3),
            AnnotationMarker(backend: "rt", thread: "4711", callIDs: ["a@h"], engineVersion: 3),
            AnnotationMarker(backend: "rt", thread: "4711", callIDs: ["A@h", "b@h"], engineVersion: 3),
            AnnotationMarker(backend: "rt", thread: "4711", callIDs: ["a@h", "b@h"], engineVersion: 4),
            // Field boundaries are length-prefixed: moving a character between fields is a different marker.
            AnnotationMarker(backend: "rt4", thread: "711", callIDs: ["a@h", "b@h"], engineVersion: 3),
        ]
        for other in others { #expect(other.id != marker.id) }
        #expect(Set(others.map(\.id)).count == others.count)
    }

    @Test func aPinnedIdNeverChangesAcrossVersions() {
        // Posts already out carry this id; if it changed, the agent would not find them and would post again.
        #expect(AnnotationMarker(backend: "rt", thread: "1", callIDs: ["x@y"], engineVersion: 1).id == Self.pinned)
    }
    static let pinned = "1a3f9919d9297f3d1647" // computed independently with Python's hashlib

    @Test func foundAgainInPlainMarkdownAndHTML() {
        let texts = [
            "Some text\n\nSIP diagnosis agent · \(marker.text)\n",
            "SIP diagnosis agent · `\(marker.text)`",
            "<p>SIP diagnosis agent · <code>\(marker.text)</code></p>",
        ]
        for text in texts { #expect(AnnotationMarker.markers(in: text) == [marker.id], "\(text)") }
    }

    @Test func foundAfterABackEndEscapedOrWrappedIt() {
        let id = marker.id
        let mid = id.index(id.startIndex, offsetBy: 9)
        let texts = [
            "sipdiag\\:\(id)",                                     // Markdown escape of the colon
            "sipdiag&#58;\(id)",                                   // entity
            "sipdiag:<wbr>\(id[..<mid])<wbr>\(id[mid...])",        // wrap hints
            "<span>sipdiag:</span><span>\(id)</span>",             // split into spans
            "sipdiag:\(id[..<mid])\u{00AD}\u{200B}\(id[mid...])",  // soft hyphen, zero-width space
            "SIPDIAG:\(id.uppercased())",                          // case changed
            "sipdiag: \(id)",                                      // a space after the colon (a plain-text wrap)
        ]
        for text in texts { #expect(AnnotationMarker.markers(in: text) == [id], "\(text)") }
    }

    @Test func notFoundWhenTruncatedOrRunOn() {
        let id = marker.id
        #expect(AnnotationMarker.markers(in: "sipdiag:\(id.dropLast())").isEmpty)
        #expect(AnnotationMarker.markers(in: "sipdiag:\(id)0").isEmpty)
        #expect(AnnotationMarker.markers(in: "xsipdiag:\(id)").isEmpty)
        #expect(!AnnotationMarker.isAgentPost("Call-ID: abc@host, sipdiag is our tool"))
    }

    @Test func isAgentPostAndAppears() {
        #expect(AnnotationMarker.isAgentPost("blah \(marker.text)"))
        #expect(marker.appears(in: "<p>\(marker.text)</p>"))
        let other = AnnotationMarker(backend: "rt", thread: "1", callIDs: ["x@y"], engineVersion: 3)
        #expect(!other.appears(in: marker.text))
        #expect(AnnotationMarker.markers(in: marker.text + " " + other.text + " " + marker.text) == [marker.id, other.id])
    }

    @Test func readBackFromAnId() {
        #expect(AnnotationMarker(id: marker.id) == marker)
        #expect(AnnotationMarker(id: "xyz") == nil)
        #expect(AnnotationMarker(id: marker.id.uppercased()) == nil)
    }

    @Test func hostileTextIsCheap() {
        let text = String(repeating: "sipdiag:<<<<", count: 100_000) + String(repeating: "sipdiag:&#58;", count: 50_000)
        #expect(AnnotationMarker.markers(in: text).isEmpty)
    }
}
