import Foundation

/// The JSON bodies homer-app's call API reads, in the shapes its own UI
/// sends (docs/trace-sources.md; checked against homer-app's
/// controller/v1/search.go and data/service/search.go).
enum HomerRequests {
    /// The time window of a search and an export, in milliseconds since
    /// 1970. homer-app truncates both ends to whole seconds.
    struct Window: Encodable, Equatable {
        var from: Int64
        var to: Int64
    }

    /// `POST /api/v3/auth`.
    static func login(username: String, password: ResolvedSecret) -> [UInt8] {
        struct Login: Encodable { var username: String; var password: String }
        return encode(Login(username: username, password: password.value))
    }

    /// `POST /api/v3/search/call/data`: the messages whose `sid` is the
    /// Call-ID, in the call table (`1_call`), on the given nodes.
    static func search(callID: String, nodes: [String], limit: Int, window: Window) -> [UInt8] {
        struct Condition: Encodable { var name: String; var value: String; var type = "string"; var hepid = 1 }
        struct Param: Encodable {
            var transaction: [String: Bool] = [:]
            var limit: Int
            var orlogic = false
            var search: [String: [Condition]]
            var location: Location
            var timezone = Timezone()
        }
        struct Body: Encodable { var param: Param; var timestamp: Window }
        let conditions = [Condition(name: "sid", value: callID), Condition(name: "limit", value: String(limit))]
        return encode(Body(param: Param(limit: limit, search: ["1_call": conditions], location: Location(node: nodes)),
                           timestamp: window))
    }

    /// `POST /api/v3/export/call/messages/pcap`: every message whose `sid`
    /// is one of `sids`. `callid` must be an array: homer-app asserts the
    /// type unchecked, and a string drops the connection.
    static func pcapExport(id: Int64, sids: [String], nodes: [String], window: Window) -> [UInt8] {
        struct Call: Encodable { var id: Int64; var callid: [String]; var uuid: [String] = [] }
        struct Transaction: Encodable { var call = true; var registration = false; var rest = false }
        struct Param: Encodable { var search: [String: Call]; var location: Location; var transaction = Transaction() }
        struct Body: Encodable { var param: Param; var timestamp: Window }
        return encode(Body(param: Param(search: ["1_call": Call(id: id, callid: sids)], location: Location(node: nodes)),
                           timestamp: window))
    }

    struct Location: Encodable { var node: [String] }
    struct Timezone: Encodable { var value = 0; var name = "UTC" }

    private static func encode<Body: Encodable>(_ body: Body) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Plain structs of strings and numbers always encode.
        return Array((try? encoder.encode(body)) ?? Data())
    }
}
