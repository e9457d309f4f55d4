import Foundation

/// A page of a REST2 collection; only what paging needs.
struct RTPage<Item: Decodable>: Decodable {
    var items: [Item]
}

/// REST2 writes ids as strings in collections ("35") and as numbers in
/// single records (35); both are read.
struct RTID: Decodable, Hashable, Sendable {
    var value: Int

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            value = number
        } else if let text = try? container.decode(String.self), let number = Int(text) {
            value = number
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an id")
        }
    }
}

/// A link to another record (`Creator`, `TransactionId` on a single
/// attachment): `{"type":"user","id":"root","_url":…}`.
struct RTReference: Decodable, Sendable {
    var id: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        if let text = try? container.decode(String.self, forKey: .id) {
            id = text
        } else {
            id = String(try container.decode(Int.self, forKey: .id))
        }
    }

    private enum Keys: String, CodingKey { case id }
}

/// A ticket of a search with `fields=Subject,LastUpdated`.
struct RTTicketItem: Decodable, Sendable {
    var id: RTID
    var subject: String?
    var lastUpdated: String?

    enum CodingKeys: String, CodingKey {
        case id
        case subject = "Subject"
        case lastUpdated = "LastUpdated"
    }
}

/// A transaction of a ticket's history with `fields=Type,Creator,Created`.
struct RTTransactionItem: Decodable, Sendable {
    var id: RTID
    var type: String?
    var creator: RTReference?
    var created: String?

    enum CodingKeys: String, CodingKey {
        case id
        case type = "Type"
        case creator = "Creator"
        case created = "Created"
    }

    /// The types that carry what someone wrote.
    var carriesText: Bool { ["Create", "Correspond", "Comment"].contains(type ?? "") }
}

/// An attachment of a ticket's attachment collection with
/// `fields=TransactionId,ContentType,Filename`. Not `Parent`: RT 5.0.3
/// answers 500 to it in a collection (a top-level part's ParentObj is
/// undefined). Not `Content`: a file part may be megabytes of pcap.
struct RTAttachmentItem: Decodable, Sendable {
    var id: RTID
    var transactionID: RTID?
    var contentType: String?
    var filename: String?

    enum CodingKeys: String, CodingKey {
        case id
        case transactionID = "TransactionId"
        case contentType = "ContentType"
        case filename = "Filename"
    }

    /// A message body: text/plain or text/html and no file name (a text
    /// file someone attached is a file, not what they wrote).
    var isBody: Bool {
        guard filename?.isEmpty ?? true else { return false }
        let type = (contentType ?? "").lowercased()
        return type.hasPrefix("text/plain") || type.hasPrefix("text/html")
    }

    var isHTML: Bool { (contentType ?? "").lowercased().hasPrefix("text/html") }
}

/// `GET /attachment/:id`: `Content` is base64 (Perl's encode_base64, lines
/// of 76 with `\n`) of the bytes, text encoded as UTF-8 first.
struct RTAttachment: Decodable, Sendable {
    var content: String?
    var contentType: String?

    enum CodingKeys: String, CodingKey {
        case content = "Content"
        case contentType = "ContentType"
    }

    /// The decoded text; nil when `Content` is no base64. Bytes that are not
    /// UTF-8 are read as Latin-1 (RT stores a body in its original charset
    /// when it could not be decoded).
    var text: String? {
        guard let content else { return "" }
        guard let bytes = Data(base64Encoded: content, options: .ignoreUnknownCharacters) else { return nil }
        return String(data: bytes, encoding: .utf8) ?? String(data: bytes, encoding: .isoLatin1)
    }
}

/// `GET /user/:name` with `fields` unset: the fields the agent checks.
struct RTUser: Decodable, Sendable {
    var name: String?
    var timezone: String?

    enum CodingKeys: String, CodingKey {
        case name = "Name"
        case timezone = "Timezone"
    }
}
