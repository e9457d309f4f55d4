/// A node of the Atlassian Document Format, Jira's rich text in API v3
/// (descriptions, comment bodies): its type, its text, the attributes
/// that hold text (`text`, `shortName`, `url`, `href`, `order`), its
/// marks and its children. Anything else in it is ignored, so a node type
/// added by Atlassian later still decodes. A plain string where a
/// document was expected (an API v2 body) reads as one text node.
struct ADFNode: Decodable, Sendable {
    var type: String
    var text: String?
    var attrs: [String: ADFScalar]
    var marks: [ADFMark]
    var content: [ADFNode]

    init(type: String, text: String? = nil, attrs: [String: ADFScalar] = [:], marks: [ADFMark] = [], content: [ADFNode] = []) {
        self.type = type
        self.text = text
        self.attrs = attrs
        self.marks = marks
        self.content = content
    }

    private enum Keys: String, CodingKey { case type, text, attrs, marks, content }

    init(from decoder: Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let plain = try? single.decode(String.self) {
            self.init(type: "text", text: plain)
            return
        }
        let c = try decoder.container(keyedBy: Keys.self)
        let type = (try? c.decodeIfPresent(String.self, forKey: .type)) ?? nil
        let text = (try? c.decodeIfPresent(String.self, forKey: .text)) ?? nil
        let attrs = (try? c.decodeIfPresent([String: ADFScalar].self, forKey: .attrs)) ?? nil
        let marks = (try? c.decodeIfPresent([ADFMark].self, forKey: .marks)) ?? nil
        let content = (try? c.decodeIfPresent([ADFNode].self, forKey: .content)) ?? nil
        self.init(type: type ?? "unknown", text: text, attrs: attrs ?? [:], marks: marks ?? [], content: content ?? [])
    }

    func attribute(_ name: String) -> String? { attrs[name]?.text }
}

/// A text mark: only a link's `href` is read.
struct ADFMark: Decodable, Sendable {
    var type: String
    var href: String?

    private enum Keys: String, CodingKey { case type, attrs }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        type = (try? c.decode(String.self, forKey: .type)) ?? ""
        let attrs = (try? c.decodeIfPresent([String: ADFScalar].self, forKey: .attrs)) ?? nil
        href = attrs?["href"]?.text
    }
}

/// An attribute's value as text when it is a string or a number; nil for
/// objects, lists, booleans and null (no attribute read here holds one).
struct ADFScalar: Decodable, Sendable {
    var text: String?

    init(from decoder: Decoder) throws {
        let single = try decoder.singleValueContainer()
        if let s = try? single.decode(String.self) {
            text = s
        } else if let n = try? single.decode(Int64.self) {
            text = String(n)
        } else if let d = try? single.decode(Double.self) {
            text = String(d)
        } else {
            text = nil
        }
    }
}
