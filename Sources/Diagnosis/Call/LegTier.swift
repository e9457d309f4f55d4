import SIPCore
import TraceFormats

/// Groups a trace's messages by Call-ID and ties the legs of one call
/// together, recording which rule tied each (domain brief section 1).
/// Runs in time linear in the messages: every rule is a dictionary lookup.
public struct LegTier: Sendable {
    /// How close two INVITEs with the same numbers must be to be tied by
    /// the last-resort rule.
    public var numberWindow: Double = 2.0

    public init() {}

    public func calls(in trace: Trace) -> [Call] {
        let legs = groupByCallID(trace.messages)
        guard !legs.isEmpty else { return [] }
        var sets = DisjointSets(count: legs.count)
        var ties = [Int: LegTie]()   // leg index -> how it was tied to its set

        func tie(_ a: Int, _ b: Int, _ how: LegTie) {
            let later = max(a, b), earlier = min(a, b)
            if sets.union(earlier, later) { ties[later] = ties[later] ?? how }
        }

        // Rule 1: the same local part before `@`. Only for local parts long
        // enough to be unique; `1@host` style IDs would tie strangers.
        var byLocal = [String: Int]()
        for (i, leg) in legs.enumerated() {
            guard let at = leg.callID.firstIndex(of: "@") else { continue }
            let local = String(leg.callID[..<at])
            guard local.utf8.count >= 8 else { continue }
            if let j = byLocal[local] { tie(j, i, .sameLocalPart(local)) } else { byLocal[local] = i }
        }

        // Rule 2: correlation headers naming another leg or a shared session.
        var byCorrelation = [String: Int]()
        let byCallID = Dictionary(legs.enumerated().map { ($0.element.callID, $0.offset) }, uniquingKeysWith: { a, _ in a })
        for (i, leg) in legs.enumerated() {
            for (name, value) in correlationValues(leg) {
                if let j = byCallID[value], j != i {
                    tie(j, i, .correlationHeader(name: name, value: value))
                }
                let key = name.lowercased() + "\u{1}" + value
                if let j = byCorrelation[key], j != i { tie(j, i, .correlationHeader(name: name, value: value)) } else { byCorrelation[key] = i }
            }
        }

        // Rule 3, last resort: an INVITE with the same From and To numbers
        // within a couple of seconds of another leg's, sent by the box the
        // other leg's INVITE went to: a B2BUA passing the call on. Without
        // that hop check, a phone's redials would chain into one call.
        var byNumbers = [String: [(leg: Int, time: Double, receiver: String)]]()
        for (i, leg) in legs.enumerated() {
            guard let invite = leg.messages.first(where: { $0.message.method == "INVITE" }),
                  let from = invite.message.from?.uri?.number.map(Self.national),
                  let to = (invite.message.to?.uri?.number ?? SIPURI(invite.message.requestURI ?? "")?.number).map(Self.national),
                  let t = invite.timestamp,
                  let sender = invite.sourceLabel ?? invite.source?.description,
                  let receiver = invite.destinationLabel ?? invite.destination?.description else { continue }
            let key = from + ">" + to
            // Legs come in trace order, so look back only through the window.
            for earlier in byNumbers[key, default: []].reversed() {
                if t - earlier.time > numberWindow { break }
                if earlier.receiver == sender, sets.find(i) != sets.find(earlier.leg) {
                    tie(earlier.leg, i, .sameNumbers(from: from, to: to, seconds: abs(t - earlier.time)))
                    break
                }
            }
            byNumbers[key, default: []].append((i, t, receiver))
        }

        var groups = [Int: [Int]]()
        var order: [Int] = []
        for i in legs.indices {
            let root = sets.find(i)
            if groups[root] == nil { order.append(root) }
            groups[root, default: []].append(i)
        }
        var calls = order.map { root in
            Call(legs: groups[root]!.map { i in
                var leg = legs[i]
                leg.tiedBy = i == groups[root]!.first ? nil : ties[i]
                return leg
            })
        }
        PlatformLogTie.tie(trace.platformLog, messages: trace.messages, calls: &calls)
        return calls
    }

    func groupByCallID(_ messages: [CapturedMessage]) -> [Leg] {
        var index = [String: Int]()
        var legs: [Leg] = []
        for m in messages {
            guard let id = m.message.callID, !id.isEmpty else { continue }
            if let i = index[id] { legs[i].messages.append(m) } else {
                index[id] = legs.count
                legs.append(Leg(callID: id, messages: [m]))
            }
        }
        return legs
    }

    /// Values of the headers that correlate legs, from the leg's requests.
    func correlationValues(_ leg: Leg) -> [(String, String)] {
        var out: [(String, String)] = []
        var seen = Set<String>()
        for m in leg.messages.prefix(8) {
            let msg = m.message
            for name in ["X-Call-ID", "X-Orig-Call-ID", "X-Original-Call-ID"] {
                if let v = msg[name]?.trimmingSpaces(), !v.isEmpty, v != leg.callID, seen.insert(name + v).inserted { out.append((name, v)) }
            }
            // RFC 7989: the UUID before any parameter; the all-zero null
            // UUID is what an endpoint sends before it knows the other one.
            if let v = msg["Session-ID"]?.prefix(while: { $0 != ";" }).trimmingCharacters().lowercased(),
               v.count >= 16, v != String(repeating: "0", count: 32), seen.insert("sid" + v).inserted {
                out.append(("Session-ID", v))
            }
            if let pcv = msg["P-Charging-Vector"] {
                let params = Parameters(Substring(pcv))
                if let icid = params["icid-value"], !icid.isEmpty, seen.insert("icid" + icid).inserted {
                    out.append(("P-Charging-Vector icid-value", icid))
                }
            }
        }
        return out
    }

    /// Compares numbers whatever their prefix: `+1 305...` and `305...`.
    static func national(_ n: String) -> String {
        let digits = n.filter(\.isNumber)
        return digits.count > 10 ? String(digits.suffix(10)) : digits
    }
}

/// Union-find over leg indices.
struct DisjointSets {
    var parent: [Int]
    init(count: Int) { parent = Array(0..<count) }

    mutating func find(_ x: Int) -> Int {
        var r = x
        while parent[r] != r { r = parent[r] }
        var y = x
        while parent[y] != r { let next = parent[y]; parent[y] = r; y = next }
        return r
    }

    /// Joins the sets; the smaller index stays the root so that the leg
    /// seen first leads the call. Returns false when already joined.
    mutating func union(_ a: Int, _ b: Int) -> Bool {
        let ra = find(a), rb = find(b)
        guard ra != rb else { return false }
        if ra < rb { parent[rb] = ra } else { parent[ra] = rb }
        return true
    }
}
