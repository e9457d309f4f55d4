import SIPCore
import Store
import TraceFormats

/// Gathers, message by message, where each call of one file lies: per
/// Call-ID the bytes from its first message to the end of its last, its
/// time window and message count; per correlation value the same for the
/// messages that carry it. Call-IDs are interned by their bytes
/// (`CallIDIndex`), so a file of a million messages builds a string per
/// call, not per message.
struct CallSpanCollector {
    struct Extent {
        var bytes: Range<Int64>
        var first: Double?
        var last: Double?
        var messages: Int

        mutating func add(_ r: Range<Int64>, _ time: Double?) {
            bytes = min(bytes.lowerBound, r.lowerBound)..<max(bytes.upperBound, r.upperBound)
            if let time {
                first = first.map { min($0, time) } ?? time
                last = last.map { max($0, time) } ?? time
            }
            messages += 1
        }
    }

    private(set) var ids = CallIDIndex()
    private var calls: [Extent] = []
    private var correlations: [CorrelationKey: Extent] = [:]
    /// SIP messages seen, with a Call-ID or not.
    private(set) var messages = 0

    struct CorrelationKey: Hashable {
        var value: String
        var call: Int
    }

    var callCount: Int { calls.count }

    /// A message's raw bytes, its headers starting at `headers`
    /// (`SIPParser.headersStart`): its Call-ID by `SIPHeaderScan` (a string
    /// only for a Call-ID not seen before), its correlation values by
    /// `LegKeys`' line walk. Nothing is parsed.
    mutating func add(message bytes: UnsafeBufferPointer<UInt8>, headers: Int, range: Range<Int64>, time: Double?) {
        if let r = SIPHeaderScan.callIDRange(bytes, headers: headers) {
            var values = LegKeys.correlationValues(bytes, headers: headers, callID: nil)
            if !values.isEmpty {
                let id = ByteText.string(bytes, r)
                values.removeAll { $0 == id }
            }
            add(bytes, callID: r, range: range, time: time, correlation: values)
        } else if let id = SIPHeaderScan.callID(bytes, headers: headers) {
            add(callID: id, range: range, time: time, correlation: LegKeys.correlationValues(bytes, headers: headers, callID: id))
        } else {
            addWithoutCallID()
        }
    }

    /// A message whose Call-ID lies at `id` in `bytes`.
    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, callID id: Range<Int>, range: Range<Int64>, time: Double?,
                      correlation: [String]) {
        add(call: ids.index(bytes, id), range: range, time: time, correlation: correlation)
    }

    mutating func add(callID: String, range: Range<Int64>, time: Double?, correlation: [String]) {
        add(call: ids.index(callID), range: range, time: time, correlation: correlation)
    }

    /// A SIP message without a Call-ID: counted, indexed under nothing.
    mutating func addWithoutCallID() { messages += 1 }

    private mutating func add(call i: Int, range: Range<Int64>, time: Double?, correlation: [String]) {
        messages += 1
        if i < calls.count {
            calls[i].add(range, time)
        } else {
            calls.append(Extent(bytes: range, first: time, last: time, messages: 1))
        }
        for v in correlation {
            correlations[CorrelationKey(value: v, call: i), default: Extent(bytes: range, first: nil, last: nil, messages: 0)].add(range, time)
        }
    }

    /// The spans of `path`: a Call-ID span and, where LegTier would tie
    /// on it, a local-part span per call; a span per correlation value.
    func spans(path: String) -> [IndexedCallSpan] {
        var out: [IndexedCallSpan] = []
        out.reserveCapacity(calls.count * 2 + correlations.count)
        for (i, e) in calls.enumerated() {
            let id = ids.items[i]
            out.append(IndexedCallSpan(key: id, kind: .callID, callID: id, path: path, byteRange: e.bytes,
                                       firstTime: e.first, lastTime: e.last, messages: e.messages))
            if let local = LegKeys.localPart(id) {
                out.append(IndexedCallSpan(key: local, kind: .localPart, callID: id, path: path, byteRange: e.bytes,
                                           firstTime: e.first, lastTime: e.last, messages: e.messages))
            }
        }
        for (k, e) in correlations.sorted(by: { ($0.key.call, $0.key.value) < ($1.key.call, $1.key.value) }) {
            out.append(IndexedCallSpan(key: k.value, kind: .correlation, callID: ids.items[k.call], path: path, byteRange: e.bytes,
                                       firstTime: e.first, lastTime: e.last, messages: e.messages))
        }
        return out
    }
}
