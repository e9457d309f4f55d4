import Foundation
import HTTPClient
@testable import Integrations
import Testing

/// The RT back-end's small pure parts: the cursor it stores, the TicketSQL
/// it asks, the ids it reads back, the bodies it decodes.
@Suite struct RequestTrackerCursorTests {
    static let at = Date(timeIntervalSince1970: 1_796_219_447) // 2026-12-02T13:50:47Z

    @Test func aCursorReadsBackAsWritten() throws {
        let cursor = RequestTrackerCursor(watermark: Self.at, boundary: [15: 350, 12: 345])
        #expect(cursor.text == "2026-12-02T13:50:47Z 12:345,15:350")
        #expect(try RequestTrackerCursor(parsing: cursor.text) == cursor)
        #expect(try RequestTrackerCursor(parsing: "2026-12-02T13:50:47Z") == RequestTrackerCursor(watermark: Self.at))
    }

    @Test func aWatermarkNeverPassesItsSecond() {
        let late = Self.at.addingTimeInterval(0.9)
        #expect(RequestTrackerCursor(watermark: late).text == "2026-12-02T13:50:47Z")
        #expect(RTTime.ticketSQL(late, in: TimeZone(identifier: "UTC")!) == "2026-12-02 13:50:47")
    }

    @Test func theTicketSQLDateIsInTheUsersZone() {
        #expect(RTTime.ticketSQL(Self.at, in: TimeZone(identifier: "Europe/Berlin")!) == "2026-12-02 14:50:47")
        #expect(RTTime.ticketSQL(Self.at, in: TimeZone(identifier: "America/New_York")!) == "2026-12-02 08:50:47")
    }

    @Test func theQueueIsQuotedAndTheExtraQueryBracketed() throws {
        let backend = try RequestTrackerBackend(
            settings: .init(baseURL: "http://rt.example/rt", token: ResolvedSecret("t"), agentUser: "agent",
                            queue: "Bob's \\ queue", extraQuery: "Status = 'new' OR Status = 'open'"),
            client: CurlHTTPClient(environment: [:]))
        #expect(backend.ticketSQL(since: Self.at, zone: TimeZone(identifier: "UTC")!)
            == "LastUpdated >= '2026-12-02 13:50:47' AND Queue = 'Bob\\'s \\\\ queue' AND (Status = 'new' OR Status = 'open')")
    }

    @Test func theNewTransactionIsReadFromLocation() {
        #expect(RequestTrackerBackend.transactionID("/rt/REST/2.0/transaction/37") == 37)
        #expect(RequestTrackerBackend.transactionID("http://rt.example/REST/2.0/transaction/1200") == 1200)
        #expect(RequestTrackerBackend.transactionID("/rt/REST/2.0/transaction/") == nil)
        #expect(RequestTrackerBackend.transactionID("/rt/REST/2.0/ticket/x") == nil)
    }

    @Test func aBodyIsDecodedFromPerlsBase64() throws {
        // encode_base64 breaks lines every 76 characters.
        let text = String(repeating: "Grüße → Call-ID: a84b4c76e66710@pc33.atlanta.example.com ", count: 4)
        let encoded = Data(text.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed]) + "\n"
        #expect(encoded.contains("\n"))
        let json = try JSONSerialization.data(withJSONObject: ["Content": encoded, "ContentType": "text/plain"])
        let attachment = try JSONDecoder().decode(RTAttachment.self, from: json)
        #expect(attachment.text == text)

        let latin1 = try JSONDecoder().decode(RTAttachment.self, from: Data(#"{"Content":"R3L832U="}"#.utf8))
        #expect(latin1.text == "Grüße")
        let broken = try JSONDecoder().decode(RTAttachment.self, from: Data(#"{"Content":"Q"}"#.utf8))
        #expect(broken.text == nil)
    }
}

/// Taking a quoted agent post out of someone's reply, without a marker
/// scanner (the quote rules alone).
@Suite struct RequestTrackerQuoteTests {
    @Test func quotedLinesGo() {
        #expect(QuotedAgentPost.withoutQuotedLines("new: a@b\n\n> old\n  > older\nend") == "new: a@b\n\nend")
    }

    @Test func blockquotesGoNestedOrUnclosedAndNothingElse() {
        #expect(QuotedAgentPost.withoutBlockquotes("<p>x</p><BLOCKQUOTE type=cite><p>q<blockquote>qq</blockquote>q</p></blockquote><p>y</p>")
            == "<p>x</p><p>y</p>")
        #expect(QuotedAgentPost.withoutBlockquotes("<p>x</p><blockquote>never closed") == "<p>x</p>")
        #expect(QuotedAgentPost.withoutBlockquotes("<blockquotes>kept</blockquotes>") == "<blockquotes>kept</blockquotes>")
        let hostile = String(repeating: "<blockquote>", count: 50_000)
        #expect(QuotedAgentPost.withoutBlockquotes(hostile + "x") == "")
    }
}
