/// Reads the dates and times text traces print, without Foundation's
/// formatters (too slow per line, and locale-dependent). All UTC.
enum TraceClock {
    /// `HH:MM:SS`, `HH:MM:SS.fff...` (`,` accepted for the fraction):
    /// seconds since midnight.
    static func timeOfDay(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Double? {
        var i = r.lowerBound
        func number(maxDigits: Int) -> Int? {
            var v = 0, n = 0
            while i < r.upperBound, n < maxDigits, isDigit(buf[i]) { v = v * 10 + Int(buf[i] - 0x30); i += 1; n += 1 }
            return n == 0 ? nil : v
        }
        guard let h = number(maxDigits: 2), i < r.upperBound, buf[i] == UInt8(ascii: ":") else { return nil }
        i += 1
        guard let m = number(maxDigits: 2), i < r.upperBound, buf[i] == UInt8(ascii: ":") else { return nil }
        i += 1
        guard let s = number(maxDigits: 2), h < 24, m < 60, s < 61 else { return nil }
        var seconds = Double(h * 3600 + m * 60 + s)
        if i < r.upperBound, buf[i] == UInt8(ascii: ".") || buf[i] == UInt8(ascii: ",") {
            i += 1
            var scale = 0.1
            while i < r.upperBound, isDigit(buf[i]) { seconds += Double(buf[i] - 0x30) * scale; scale /= 10; i += 1 }
        }
        return i == r.upperBound ? seconds : nil
    }

    /// `YYYY/MM/DD` or `YYYY-MM-DD`: seconds since the epoch at midnight UTC.
    static func date(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Double? {
        guard r.count == 10 else { return nil }
        let lo = r.lowerBound
        let sep = buf[lo + 4]
        guard sep == UInt8(ascii: "/") || sep == UInt8(ascii: "-"), buf[lo + 7] == sep else { return nil }
        func field(_ a: Int, _ n: Int) -> Int? {
            var v = 0
            for k in a..<(a + n) { guard isDigit(buf[lo + k]) else { return nil }; v = v * 10 + Int(buf[lo + k] - 0x30) }
            return v
        }
        guard let y = field(0, 4), let m = field(5, 2), let d = field(8, 2), (1...12).contains(m), (1...31).contains(d) else { return nil }
        return Double(daysFromCivil(year: y, month: m, day: d)) * 86_400
    }

    /// `Jan` ... `Dec` to 1 ... 12.
    static func month(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Int? {
        guard r.count == 3 else { return nil }
        let names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        let key = String(decoding: UnsafeBufferPointer(rebasing: buf[r]), as: UTF8.self).lowercased()
        return names.firstIndex(of: key).map { $0 + 1 }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
}
