import Foundation

/// A URL's query from name–value pairs, as the REST clients (RT, Jira,
/// Zendesk) send them.
enum QueryString {
    /// `?a=1&b=2`, each name and value percent-encoded but for RFC 3986's
    /// unreserved characters: TicketSQL and JQL are full of quotes, spaces
    /// and `=`, and Zendesk's `page[size]` has brackets. Empty for no pairs.
    static func encode(_ query: [(String, String)]) -> String {
        guard !query.isEmpty else { return "" }
        return "?" + query.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    private static let unreserved: CharacterSet = {
        var set = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        set.insert(charactersIn: "-._~")
        return set
    }()

    private static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
