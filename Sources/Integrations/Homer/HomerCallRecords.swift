import Foundation

/// What homer-app's call search answered (`{"total":N,"keys":[…],"data":[…]}`,
/// 201), reduced to what finding the call needs: for each message row its
/// id, its `sid` (the session id the search matched, which a B2BUA leg
/// correlated by X-CID shares with the A leg) and its own `callid`.
struct HomerCallRecords: Equatable {
    struct Row: Equatable {
        var id: Int64?
        var sid: String?
        var callID: String?
    }

    var rows: [Row]

    /// Nil when the body is not the search's JSON object with a `data` array
    /// (null counts as empty: Go marshals an empty slice that way on some paths).
    init?(json bytes: [UInt8]) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { return nil }
        switch object["data"] {
        case let data as [Any]:
            rows = data.compactMap { item in
                guard let item = item as? [String: Any] else { return nil }
                return Row(id: Self.integer(item["id"]), sid: item["sid"] as? String, callID: item["callid"] as? String)
            }
        case nil, is NSNull:
            guard object["total"] != nil else { return nil }
            rows = []
        default:
            return nil
        }
    }

    init(rows: [Row]) { self.rows = rows }

    /// The rows of the call itself: a `%` in a Call-ID makes homer-app's
    /// search a LIKE, which may match other sessions.
    func session(_ callID: String) -> HomerCallRecords {
        HomerCallRecords(rows: rows.filter { $0.sid == callID })
    }

    /// What the export must ask for: the Call-ID first, then each leg's own
    /// Call-ID and sid as the search returned them, once each.
    func exportSIDs(for callID: String) -> [String] {
        var seen: Set<String> = [callID]
        var out = [callID]
        for row in rows {
            for id in [row.sid, row.callID].compactMap({ $0 }) where !id.isEmpty && seen.insert(id).inserted {
                out.append(id)
            }
        }
        return out
    }

    private static func integer(_ value: Any?) -> Int64? {
        switch value {
        case let n as NSNumber: return Int64(exactly: n.doubleValue)
        case let s as String: return Int64(s)
        default: return nil
        }
    }
}
