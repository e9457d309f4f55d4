import Foundation

// The shapes of Jira's answers the back-end reads (backends.md section 6),
// each field optional where Jira may leave it out, so that an answer with
// less in it is read rather than refused.

/// `GET /rest/api/3/myself`: who the token logs in as, and the timezone
/// of its profile (JQL dates are read in it, see docs/jira.md).
struct JiraMyself: Decodable, Sendable {
    var accountId: String
    var displayName: String?
    var timeZone: String?
}

/// A user as Jira names one in an issue or a comment.
struct JiraUser: Decodable, Sendable {
    var accountId: String?
    var displayName: String?
}

/// One page of `GET /rest/api/3/search/jql`: no `total`; `nextPageToken`
/// absent (or null) on the last page, where `isLast` may also say so.
struct JiraSearchPage: Decodable, Sendable {
    var issues: [JiraIssue]?
    var nextPageToken: String?
    var isLast: Bool?
}

struct JiraIssue: Decodable, Sendable {
    struct Fields: Decodable, Sendable {
        var summary: String?
        var updated: String?
        var description: ADFNode?
        var reporter: JiraUser?
    }

    var id: String?
    var key: String
    var fields: Fields?
}

/// `GET /rest/api/3/issue/{key}/comment`: offset paging by `startAt`,
/// `maxResults` and `total`.
struct JiraCommentPage: Decodable, Sendable {
    var startAt: Int?
    var maxResults: Int?
    var total: Int?
    var comments: [JiraComment]?
}

struct JiraComment: Decodable, Sendable {
    var id: String
    var author: JiraUser?
    /// ADF in API v3.
    var body: ADFNode?
    var created: String?
    var jsdPublic: Bool?
}

/// `GET /rest/servicedeskapi/request/{key}/comment`: `start`, `limit`,
/// `isLastPage`.
struct ServiceDeskCommentPage: Decodable, Sendable {
    var size: Int?
    var start: Int?
    var limit: Int?
    var isLastPage: Bool?
    var values: [ServiceDeskComment]?
}

/// A request comment of the service desk API: its body is text.
struct ServiceDeskComment: Decodable, Sendable {
    var id: FlexibleID
    var body: String?
    var `public`: Bool?
    var author: JiraUser?
}

/// An id Jira writes as a string ("10001") in one API and may write as a
/// number in another: both read.
struct FlexibleID: Decodable, Sendable, Equatable {
    var value: String

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            value = text
        } else {
            value = String(try container.decode(Int64.self))
        }
    }
}

/// Jira's times: `2026-12-02T13:50:47.123+0000` (platform API), also with
/// `Z` or `+00:00`, with or without the milliseconds.
enum JiraTime {
    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.count <= 40, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var i = 19
        var fraction = 0.0
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") {
                fraction += Double(bytes[i] - UInt8(ascii: "0")) * scale
                scale /= 10
                i += 1
            }
        }
        guard i < bytes.count else { return nil }
        var offset = 0
        if bytes[i] == UInt8(ascii: "Z") {
            guard i + 1 == bytes.count else { return nil }
        } else if bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
            let sign = bytes[i] == UInt8(ascii: "-") ? -1 : 1
            let rest = Array(bytes[(i + 1)...].filter { $0 != UInt8(ascii: ":") })
            guard rest.count == 4, let hours = Int(String(decoding: rest[0..<2], as: UTF8.self)),
                  let minutes = Int(String(decoding: rest[2..<4], as: UTF8.self)), hours < 24, minutes < 60 else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        } else {
            return nil
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let base = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)) else {
            return nil
        }
        return base.addingTimeInterval(fraction - Double(offset))
    }

    /// The cursor's form: UTC with milliseconds.
    static func format(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let whole = Date(timeIntervalSince1970: Double(millis.floorDiv(1000)))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: whole)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!,
                      Int(millis.floorMod(1000)))
    }

    /// A JQL date, `yyyy/MM/dd HH:mm` in `zone`: minutes, rounded down.
    static func jql(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let whole = Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded(.down) * 60)
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: whole)
        return String(format: "%04d/%02d/%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
}

extension Int64 {
    fileprivate func floorDiv(_ d: Int64) -> Int64 { self >= 0 ? self / d : -((-self + d - 1) / d) }
    fileprivate func floorMod(_ d: Int64) -> Int64 { self - floorDiv(d) * d }
}
