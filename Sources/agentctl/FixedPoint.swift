/// Figures with a set number of decimals (`12.30`), without Foundation's
/// formatters, whose output depends on the locale: the bench tables and the
/// media-only report print through it.
enum FixedPoint {
    static func text(_ v: Double, _ places: Int) -> String {
        guard v.isFinite else { return "n/a" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let r = (v * scale).rounded() / scale
        if places == 0, abs(r) < 1e15 { return String(Int(r)) }
        var s = String(r)
        if let dot = s.firstIndex(of: ".") {
            let decimals = s.distance(from: dot, to: s.endIndex) - 1
            if decimals < places { s += String(repeating: "0", count: places - decimals) }
        }
        return s
    }
}
