@testable import Annotation
import Testing

@Suite struct CallIDShapeTests {
    @Test func aCallIDIsAWordWithAtMostOneAt() {
        #expect(CallIDShape.isPlausible(Array("a84b4c76e66710@pc33.atlanta.com".utf8)))
        #expect(CallIDShape.isPlausible(Array("f81d4fae-7dec-11d0-a765-00a0c91e6bf6".utf8)))
        #expect(!CallIDShape.isPlausible(Array("a@b@c".utf8)))
        #expect(!CallIDShape.isPlausible(Array("@host".utf8)))
        #expect(!CallIDShape.isPlausible(Array("abc@".utf8)))
        #expect(!CallIDShape.isPlausible(Array("...".utf8)))
        #expect(!CallIDShape.isPlausible(Array("abc,def".utf8)))
        #expect(!CallIDShape.isPlausible([UInt8](repeating: UInt8(ascii: "a"), count: 257)))
        #expect(CallIDShape.isPlausible([UInt8](repeating: UInt8(ascii: "a"), count: 256)))
    }
}
