import TraceFormats

/// One direction of RTP in a capture script:
/// `rtp PHONE -> CORE [for 8s] [start 0.2s] [loss 3%] [jitter 40ms]
/// [from ADDR:PORT] [to ADDR:PORT] [pause 2s at 3s] [outage 1s at 4s]
/// [comfort-noise] [rtcp]`.
///
/// By default the stream runs from the ACK of the answered INVITE to the
/// BYE, from the sender's host at the port of its own SDP, to the address
/// and port of the receiver's SDP: exactly what a working call does. The
/// options are the ways real calls go wrong.
public struct MediaFlow: Sendable, Equatable {
    public var sender: String
    public var receiver: String
    /// Seconds of audio; nil runs until the BYE (or the end of the trace).
    public var duration: Double?
    /// Seconds after the ACK the first packet goes.
    public var start: Double
    /// Share of packets dropped, 0...1, spread evenly (deterministic counts).
    public var loss: Double
    /// Largest extra delay a packet gets, seconds (uniform, seeded).
    public var jitter: Double
    /// Source override: the NAT box's public address the packets come from.
    public var from: String?
    /// Destination override.
    public var to: String?
    /// The sender stops for `length` seconds from `at` (seconds into the
    /// stream): sequence numbers continue unbroken, timestamps jump, as
    /// silence suppression and hold do.
    public var pause: (length: Double, at: Double)?
    /// The network drops everything for `length` seconds from `at`:
    /// sequence numbers jump, the loss a listener hears as a dropout.
    public var outage: (length: Double, at: Double)?
    /// Marks the pause as silence suppression: a comfort-noise packet
    /// (payload type 13) before it and a marker bit after, as RFC 3389
    /// senders do.
    public var comfortNoise: Bool
    /// Sender reports from the sender and receiver reports back.
    public var rtcp: Bool

    public struct OptionError: Error { var reason: String }

    public static func == (a: MediaFlow, b: MediaFlow) -> Bool {
        a.sender == b.sender && a.receiver == b.receiver && a.duration == b.duration && a.start == b.start && a.loss == b.loss
            && a.jitter == b.jitter && a.from == b.from && a.to == b.to && a.pause?.length == b.pause?.length
            && a.pause?.at == b.pause?.at && a.outage?.length == b.outage?.length && a.outage?.at == b.outage?.at && a.comfortNoise == b.comfortNoise && a.rtcp == b.rtcp
    }

    public init(sender: String, receiver: String) {
        self.sender = sender
        self.receiver = receiver
        start = 0.02
        loss = 0
        jitter = 0
        comfortNoise = false
        rtcp = false
    }

    init(words: [String]) throws(OptionError) {
        guard words.count >= 3, words[1] == "->" else { throw OptionError(reason: "rtp takes SENDER -> RECEIVER, then options") }
        self.init(sender: words[0], receiver: words[2])
        var i = 3
        func value() throws(OptionError) -> String {
            guard i + 1 < words.count else { throw OptionError(reason: "\(words[i]) needs a value") }
            i += 1
            return words[i]
        }
        while i < words.count {
            switch words[i] {
            case "for": duration = try Self.seconds(try value())
            case "start": start = try Self.seconds(try value())
            case "loss": loss = try Self.percent(try value())
            case "jitter": jitter = try Self.seconds(try value())
            case "from": from = try Self.socket(try value())
            case "to": to = try Self.socket(try value())
            case "pause":
                let length = try Self.seconds(try value())
                guard try value() == "at" else { throw OptionError(reason: "pause takes LENGTH at TIME: pause 2s at 3s") }
                pause = (length, try Self.seconds(try value()))
            case "outage":
                let length = try Self.seconds(try value())
                guard try value() == "at" else { throw OptionError(reason: "outage takes LENGTH at TIME: outage 2s at 3s") }
                outage = (length, try Self.seconds(try value()))
            case "comfort-noise": comfortNoise = true
            case "rtcp": rtcp = true
            default: throw OptionError(reason: "unknown rtp option '\(words[i])'")
            }
            i += 1
        }
    }

    static func seconds(_ t: String) throws(OptionError) -> Double {
        if t.hasSuffix("ms"), let v = Double(t.dropLast(2)), v >= 0 { return v / 1000 }
        if t.hasSuffix("s"), let v = Double(t.dropLast()), v >= 0 { return v }
        throw OptionError(reason: "'\(t)' is not a duration; write 40ms or 8s")
    }

    static func percent(_ t: String) throws(OptionError) -> Double {
        guard t.hasSuffix("%"), let v = Double(t.dropLast()), v >= 0, v <= 100 else { throw OptionError(reason: "'\(t)' is not a percentage; write 3%") }
        return v / 100
    }

    static func socket(_ t: String) throws(OptionError) -> String {
        guard let e = Endpoint(t), e.port != nil, NetAddress(e.host) != nil else { throw OptionError(reason: "'\(t)' is not ADDRESS:PORT") }
        return t
    }
}
