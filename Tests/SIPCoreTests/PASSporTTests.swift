import Foundation
import Testing
@testable import SIPCore

@Suite struct PASSporTTests {
    static let header = #"{"alg":"ES256","ppt":"shaken","typ":"passport","x5u":"https://cert.example.org/c.pem"}"#
    static let payload = #"{"attest":"B","dest":{"tn":["15551234567"]},"iat":1700000000,"orig":{"tn":"13055551001"},"origid":"123e4567-e89b-12d3-a456-426655440000"}"#
    static let signature = "c2lnbmF0dXJlLW5vdC1jaGVja2Vk"
    static let token = base64url(header) + "." + base64url(payload) + "." + signature
    static let identity = token + ";info=<https://cert.example.org/c.pem>;alg=ES256;ppt=shaken"

    static func passport(payload: String, header: String = header, signature: String = signature) -> PASSporT {
        PASSporT(headerValue: base64url(header) + "." + base64url(payload) + "." + signature)
    }

    @Test func decodesAttest() { #expect(PASSporT(headerValue: Self.identity).attest == "B") }
    @Test func decodesOrigTN() { #expect(PASSporT(headerValue: Self.identity).origTN == "13055551001") }
    @Test func decodesDestTNs() { #expect(PASSporT(headerValue: Self.identity).destTNs == ["15551234567"]) }
    @Test func decodesIat() { #expect(PASSporT(headerValue: Self.identity).iat == 1_700_000_000) }
    @Test func decodesOrigID() { #expect(PASSporT(headerValue: Self.identity).origID == "123e4567-e89b-12d3-a456-426655440000") }
    @Test func decodesAlgorithm() { #expect(PASSporT(headerValue: Self.identity).algorithm == "ES256") }
    @Test func decodesPPT() { #expect(PASSporT(headerValue: Self.identity).ppt == "shaken") }
    @Test func decodesX5U() { #expect(PASSporT(headerValue: Self.identity).x5u == "https://cert.example.org/c.pem") }
    @Test func infoParameterWithoutAngleBrackets() { #expect(PASSporT(headerValue: Self.identity).info == "https://cert.example.org/c.pem") }
    @Test func wellFormedIsNotMalformed() { #expect(PASSporT(headerValue: Self.identity).malformed == nil) }

    @Test func tokenWithoutParametersDecodes() {
        let p = PASSporT(headerValue: Self.token)
        #expect(p.attest == "B")
        #expect(p.info == nil)
        #expect(p.malformed == nil)
    }

    @Test func quotedParametersAreUnquoted() {
        let p = PASSporT(headerValue: Self.token + ";info=<https://cert.example.org/c.pem>;alg=\"ES256\";ppt=\"shaken\"")
        #expect(p.ppt == "shaken")
        #expect(p.algorithm == "ES256")
    }

    @Test func surroundingSpacesAreIgnored() {
        #expect(PASSporT(headerValue: "  " + Self.identity + "  ").attest == "B")
    }

    @Test func attestAIsAccepted() {
        let p = Self.passport(payload: #"{"attest":"A","dest":{"tn":["1"]},"iat":1,"orig":{"tn":"2"},"origid":"x"}"#)
        #expect(p.attest == "A")
        #expect(p.malformed == nil)
    }

    @Test func attestCIsAccepted() {
        #expect(Self.passport(payload: #"{"attest":"C","orig":{"tn":"2"}}"#).malformed == nil)
    }

    @Test func attestDIsMalformed() {
        let p = Self.passport(payload: #"{"attest":"D","dest":{"tn":["1"]},"iat":1,"orig":{"tn":"2"},"origid":"x"}"#)
        #expect(p.attest == "D")
        #expect(p.malformed == "attest \"D\" is not A, B or C")
    }

    @Test func shakenWithoutAttestIsMalformed() {
        let p = Self.passport(payload: #"{"dest":{"tn":["1"]},"iat":1,"orig":{"tn":"2"}}"#)
        #expect(p.attest == nil)
        #expect(p.malformed == "shaken PASSporT without an attest claim")
    }

    @Test func nonShakenWithoutAttestIsFine() {
        let p = Self.passport(payload: #"{"orig":{"tn":"2"}}"#, header: #"{"alg":"ES256","ppt":"div","typ":"passport"}"#)
        #expect(p.ppt == "div")
        #expect(p.malformed == nil)
    }

    @Test func singleDestTNStringBecomesList() {
        #expect(Self.passport(payload: #"{"attest":"A","dest":{"tn":"15551234567"}}"#).destTNs == ["15551234567"])
    }

    @Test func fractionalIatIsTruncated() {
        #expect(Self.passport(payload: #"{"attest":"A","iat":1700000000.5}"#).iat == 1_700_000_000)
    }

    @Test func missingClaimsAreNil() {
        let p = Self.passport(payload: #"{"attest":"A"}"#)
        #expect(p.origTN == nil)
        #expect(p.destTNs.isEmpty)
        #expect(p.iat == nil)
        #expect(p.origID == nil)
    }

    @Test func jwtHeaderOverridesParameterAlgorithm() {
        #expect(PASSporT(headerValue: Self.token + ";alg=RS256").algorithm == "ES256")
    }

    @Test func emptySignatureIsMalformed() {
        let p = PASSporT(headerValue: base64url(Self.header) + "." + base64url(Self.payload) + ".;info=<https://x>")
        #expect(p.attest == "B")
        #expect(p.malformed == "signature is empty")
    }

    @Test func cutOffTokenIsMalformed() {
        // The trace cut the header in the middle of the payload.
        let cut = String((base64url(Self.header) + "." + base64url(Self.payload)).prefix(120))
        let p = PASSporT(headerValue: cut)
        #expect(p.malformed == "not a compact JWT (expected header.payload.signature, found 2 part(s))")
        #expect(p.attest == nil)
    }

    @Test func cutOffPayloadWithSignatureDotIsMalformed() {
        let cut = base64url(Self.header) + "." + String(base64url(Self.payload).prefix(30)) + ".sig"
        let p = PASSporT(headerValue: cut)
        #expect(p.malformed == "JWT payload is not base64url-encoded JSON (the header may have been cut)")
        #expect(p.x5u == "https://cert.example.org/c.pem")
        #expect(p.attest == nil)
    }

    @Test func nonJWTIsMalformed() {
        let p = PASSporT(headerValue: "not-a-jwt;info=<https://cert.example.org/c.pem>;alg=ES256;ppt=shaken")
        #expect(p.malformed == "not a compact JWT (expected header.payload.signature, found 1 part(s))")
        #expect(p.info == "https://cert.example.org/c.pem")
        #expect(p.algorithm == "ES256")
        #expect(p.ppt == "shaken")
    }

    @Test func garbageHeaderPartIsMalformed() {
        let p = PASSporT(headerValue: "!!!." + base64url(Self.payload) + ".sig")
        #expect(p.malformed == "JWT header is not base64url-encoded JSON")
    }

    @Test func jsonArrayInsteadOfObjectIsMalformed() {
        let p = PASSporT(headerValue: base64url("[1,2]") + "." + base64url(Self.payload) + ".sig")
        #expect(p.malformed == "JWT header is not base64url-encoded JSON")
    }

    @Test func emptyValueIsMalformed() {
        #expect(PASSporT(headerValue: "").malformed != nil)
    }

    @Test func tokenFoldedAcrossLinesStillDecodes() throws {
        let t = base64url(Self.header) + "." + base64url(Self.payload) + "." + Self.signature
        let m = try parsed("INVITE sip:+15551234567@carrier.example.net SIP/2.0",
                           "Identity: " + String(t.prefix(60)), "   " + String(t.dropFirst(60)) + ";info=<https://cert.example.org/c.pem>", "")
        let p = try #require(m.identity)
        #expect(p.attest == "B")
        #expect(p.malformed == nil)
    }

    // MARK: on a message

    @Test func identityHeaderOnMessage() throws {
        let m = try parsed("INVITE sip:+15551234567@carrier.example.net SIP/2.0", "Identity: " + Self.identity, "")
        #expect(m.identity?.attest == "B")
        #expect(m.identity?.origTN == "13055551001")
    }

    @Test func compactIdentityHeaderY() throws {
        let m = try parsed("INVITE sip:+15551234567@carrier.example.net SIP/2.0", "y: " + Self.identity, "")
        #expect(m.identity?.attest == "B")
        #expect(m.identity?.destTNs == ["15551234567"])
    }

    @Test func noIdentityHeaderIsNil() throws {
        #expect(try parsed("INVITE sip:a@b SIP/2.0", "").identity == nil)
    }

    // MARK: verstat

    @Test func verstatPassedInFromUserPart() throws {
        let m = try parsed("INVITE sip:a@b SIP/2.0", "From: <sip:+13055551001;verstat=TN-Validation-Passed@example.com;user=phone>;tag=1", "")
        #expect(m.verstat == .passed)
    }

    @Test func verstatFailedAsURIParameter() throws {
        let m = try parsed("INVITE sip:a@b SIP/2.0", "From: <sip:+13055551001@example.com;verstat=TN-Validation-Failed>;tag=1", "")
        #expect(m.verstat == .failed)
    }

    @Test func verstatNoValidationInTelURI() throws {
        let m = try parsed("INVITE sip:a@b SIP/2.0", "P-Asserted-Identity: <tel:+13055551001;verstat=No-TN-Validation>", "")
        #expect(m.verstat == .noValidation)
    }

    @Test func verstatInPAIWinsOverFrom() throws {
        let m = try parsed("INVITE sip:a@b SIP/2.0",
                           "From: <sip:+13055551001;verstat=TN-Validation-Failed@example.com>;tag=1",
                           "P-Asserted-Identity: <sip:+13055551001;verstat=TN-Validation-Passed@example.com>", "")
        #expect(m.verstat == .passed)
    }

    @Test func verstatFromFromWhenPAIHasNone() throws {
        let m = try parsed("INVITE sip:a@b SIP/2.0",
                           "P-Asserted-Identity: <sip:+13055551001@example.com>",
                           "f: <sip:+13055551001;verstat=TN-Validation-Passed@example.com>;tag=1", "")
        #expect(m.verstat == .passed)
    }

    @Test func unknownVerstatValueIsNil() throws {
        let m = try parsed("INVITE sip:a@b SIP/2.0", "From: <sip:+1305;verstat=Maybe@example.com>;tag=1", "")
        #expect(m.verstat == nil)
    }

    @Test func noVerstatIsNil() throws {
        #expect(try parsed("INVITE sip:a@b SIP/2.0", "From: <sip:+13055551001@example.com>;tag=1", "").verstat == nil)
    }
}

/// The signer's `iat` is untrusted: a double past Int's range once trapped
/// in `Int(d)`. The regression input is Fixtures/fuzz/regressions/passport-iat-1e300.identity.
@Suite struct PASSporTHostileIatTests {
    @Test func iatOf1e300IsDroppedNotConverted() throws {
        let p = PASSporTTests.passport(payload: #"{"attest":"A","iat":1e300}"#)
        #expect(p.iat == nil)
        #expect(p.attest == "A")
    }

    @Test func iatFromTheRegressionFixture() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/fuzz/regressions/passport-iat-1e300.identity")
        let value = try String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let p = PASSporT(headerValue: value)
        #expect(p.iat == nil)
        #expect(p.malformed == nil)
    }
}
