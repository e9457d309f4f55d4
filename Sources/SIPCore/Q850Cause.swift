/// ITU-T Q.850 cause values as SIP carries them in `Reason: Q.850;cause=N`.
public struct Q850Cause: Sendable, Hashable, Codable, CustomStringConvertible {
    public var value: Int
    /// The `text=` parameter, when the sender gave one.
    public var text: String?

    public init(value: Int, text: String? = nil) {
        self.value = value
        self.text = text
    }

    public var name: String { Q850Cause.names[value] ?? "cause \(value)" }

    public var description: String { "Q.850 cause \(value) (\(name))" }

    static let names: [Int: String] = [
        1: "unallocated number", 2: "no route to specified transit network", 3: "no route to destination",
        6: "channel unacceptable", 16: "normal clearing", 17: "user busy", 18: "no user responding",
        19: "no answer from user", 20: "subscriber absent", 21: "call rejected", 22: "number changed",
        27: "destination out of order", 28: "invalid number format", 29: "facility rejected",
        31: "normal, unspecified", 34: "no circuit/channel available", 38: "network out of order",
        41: "temporary failure", 42: "switching equipment congestion", 44: "requested channel not available",
        47: "resource unavailable, unspecified", 50: "requested facility not subscribed",
        55: "incoming calls barred within CUG", 57: "bearer capability not authorized",
        58: "bearer capability not presently available", 63: "service or option not available",
        65: "bearer capability not implemented", 79: "service or option not implemented",
        88: "incompatible destination", 102: "recovery on timer expiry", 111: "protocol error, unspecified",
        127: "interworking, unspecified",
    ]
}

extension SIPMessage {
    /// The Q.850 cause of any `Reason` header (there may also be a SIP one).
    public var q850Cause: Q850Cause? {
        for value in values("reason") {
            let protocolName = value.prefix { $0 != ";" }.trimmingCharacters().uppercased()
            guard protocolName == "Q.850" else { continue }
            let params = Parameters(value.drop { $0 != ";" }.dropFirst())
            if let c = params["cause"].flatMap({ Int($0) }) { return Q850Cause(value: c, text: params["text"]) }
        }
        return nil
    }
}
