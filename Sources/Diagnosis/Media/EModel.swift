/// The simplified E-model of ITU-T G.107 (domain brief section 5): an
/// estimate of MOS from loss, delay and codec. It is an estimate and is
/// always presented as one.
public enum EModel {
    public struct CodecImpairment: Sendable {
        /// Equipment impairment Ie.
        public var ie: Double
        /// Packet-loss robustness Bpl.
        public var bpl: Double
    }

    /// G.113 values; unknown codecs are treated like G.711 with PLC.
    public static func impairment(codec: String?) -> CodecImpairment {
        switch codec?.uppercased() {
        case "G729", "G.729", "G729A": return CodecImpairment(ie: 11, bpl: 19)
        case "GSM": return CodecImpairment(ie: 20, bpl: 10)
        default: return CodecImpairment(ie: 0, bpl: 25)
        }
    }

    /// R factor: R = 93.2 - Id - Ie_eff.
    public static func rFactor(lossPercent: Double, oneWayDelayMs: Double, codec: String?) -> Double {
        let c = impairment(codec: codec)
        let ppl = max(0, min(100, lossPercent))
        let ieEff = c.ie + (95 - c.ie) * ppl / (ppl + c.bpl)
        let d = max(0, oneWayDelayMs)
        let id = 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0)
        return 93.2 - id - ieEff
    }

    /// MOS = 1 + 0.035 R + 7e-6 R (R - 60)(100 - R), clamped to 1...4.5.
    public static func mos(r: Double) -> Double {
        if r <= 0 { return 1 }
        let m = 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r)
        return min(4.5, max(1, m))
    }

    /// Delay the jitter buffer adds on top of the network's, when only
    /// jitter is known: twice the jitter plus one 20 ms packet.
    public static func estimatedDelay(jitterMs: Double, latencyMs: Double?) -> Double {
        (latencyMs ?? 0) + 2 * jitterMs + 20
    }
}
