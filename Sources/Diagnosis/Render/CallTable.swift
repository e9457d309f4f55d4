/// A compact list of the calls in a trace, one line each, for traces with
/// too many calls to explain one after another: the user picks one and
/// runs again with `--call-id`.
public struct CallTable: Sendable {
    public struct Entry: Sendable, Codable, Equatable {
        public var callID: String
        public var messages: Int
        public var outcome: Verdict.Outcome
        public var headline: String

        public init(callID: String, messages: Int, outcome: Verdict.Outcome, headline: String) {
            self.callID = callID
            self.messages = messages
            self.outcome = outcome
            self.headline = headline
        }

        public init(_ d: Diagnosis) {
            let count = d.legs.reduce(0) { $0 + $1.messageCount }
            self.init(callID: d.callID, messages: count > 0 ? count : d.ladder.count,
                      outcome: d.verdict.outcome, headline: d.verdict.headline)
        }
    }

    public var entries: [Entry]
    public var width: Int

    public init(_ entries: [Entry], width: Int = 100) {
        self.entries = entries
        self.width = width
    }

    /// Call-ID, message count and headline in aligned columns, cut to fit.
    public func render() -> String {
        let idWidth = min(40, max(7, entries.map { $0.callID.count }.max() ?? 7))
        let header = pad("Call-ID", idWidth) + "  " + leftPad("Msgs", 5) + "  Verdict"
        var out = [header, String(repeating: "-", count: min(width, header.count + 40))]
        for e in entries {
            let id = pad(LadderLayout.truncate(e.callID, to: idWidth), idWidth)
            let start = id + "  " + leftPad(String(e.messages), 5) + "  "
            out.append(start + LadderLayout.truncate(e.headline, to: max(10, width - start.count)))
        }
        return out.joined(separator: "\n") + "\n"
    }

    private func pad(_ s: String, _ n: Int) -> String {
        s.count >= n ? s : s + String(repeating: " ", count: n - s.count)
    }

    private func leftPad(_ s: String, _ n: Int) -> String {
        s.count >= n ? s : String(repeating: " ", count: n - s.count) + s
    }
}
