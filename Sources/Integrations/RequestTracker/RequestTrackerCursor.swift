import Foundation

/// Where the next poll of an RT starts: the newest `LastUpdated` seen (the
/// watermark), and the tickets updated in that very second with the
/// newest transaction each had then.
///
/// TicketSQL dates have whole seconds, so the next poll asks for
/// `LastUpdated >= watermark`: a ticket updated later in the same second
/// is not lost. The tickets at the watermark then come back every poll
/// until a newer update moves it; `boundary` lets a poll pass over the
/// ones with no newer transaction instead of handing them to the agent
/// again (a ticket that did change has a higher transaction id).
///
/// Written as `2026-12-02T13:50:47Z` followed by ` 12:345,15:350`
/// (ticket:transaction) when there are boundary tickets.
struct RequestTrackerCursor: Sendable, Equatable {
    var watermark: Date
    /// Ticket id → its newest transaction id, for tickets whose LastUpdated is the watermark.
    var boundary: [Int: Int]

    init(watermark: Date, boundary: [Int: Int] = [:]) {
        self.watermark = watermark
        self.boundary = boundary
    }

    init(parsing text: String) throws(RequestTrackerError) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 1 || parts.count == 2, let time = RTTime.parse(String(parts[0])) else {
            throw .badCursor(cursor: text)
        }
        var boundary: [Int: Int] = [:]
        if parts.count == 2 {
            for pair in parts[1].split(separator: ",") {
                let sides = pair.split(separator: ":")
                guard sides.count == 2, let ticket = Int(sides[0]), let transaction = Int(sides[1]) else {
                    throw .badCursor(cursor: text)
                }
                boundary[ticket] = transaction
            }
        }
        self.init(watermark: time, boundary: boundary)
    }

    var text: String {
        let time = RTTime.format(watermark)
        guard !boundary.isEmpty else { return time }
        return time + " " + boundary.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",")
    }
}

/// RT's two ways of writing a time: REST2's W3CDTF in UTC
/// (`2026-12-02T13:50:47Z`) and TicketSQL's `2026-12-02 13:50:47`, read
/// in the querying user's timezone.
enum RTTime {
    private static let utc = TimeZone(identifier: "UTC")!

    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
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
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = utc
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))
    }

    static func format(_ date: Date) -> String {
        let c = components(date, in: utc)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// For a TicketSQL date: whole seconds, in `zone` (the agent user's).
    static func ticketSQL(_ date: Date, in zone: TimeZone) -> String {
        let c = components(date, in: zone)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    private static func components(_ date: Date, in zone: TimeZone) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        // Whole seconds, rounded down: a watermark must never pass a ticket's second.
        let whole = Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
        return calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: whole)
    }
}
