import SIPCore

/// What kind of destination a dialled number is, in the terms class-of-
/// service rules and toll fraud use: international, premium rate, toll-
/// free. The prefixes are the North American ones the field guide works
/// with (`011` and `9011` with an outside-line 9) plus the ITU `00`; a
/// `+` number is international when its country code is not the caller's.
enum DialledDestination: Equatable {
    case international(prefix: String)
    case premium
    case tollFree

    static let tollFreeAreaCodes: Set<Substring> = ["800", "833", "844", "855", "866", "877", "888"]
    static let premiumAreaCodes: Set<Substring> = ["900", "976"]

    /// Classifies the user part of a Request-URI (or To), given the
    /// caller's number when known; nil for a domestic number, an
    /// extension, or a name.
    init?(dialled user: String?, caller: String? = nil) {
        guard let user else { return nil }
        let number = user.prefix { $0 != ";" && $0 != "@" }.filter { $0.isNumber || $0 == "+" }
        let digits = Substring(number.filter(\.isNumber))
        guard digits.count >= 7 else { return nil }
        if number.hasPrefix("+") {
            if digits.hasPrefix("1") {
                guard let kind = Self.nanp(digits.dropFirst()) else { return nil }
                self = kind
                return
            }
            // Only a NANP caller (or an unknown one, on this NANP-centred
            // platform) makes a foreign country code international: other
            // countries' codes vary in length and are not compared here.
            let callerDigits = caller.map { $0.filter { $0.isNumber || $0 == "+" } } ?? ""
            guard callerDigits.isEmpty || callerDigits.hasPrefix("+1") || !callerDigits.hasPrefix("+") else { return nil }
            self = .international(prefix: "+" + digits.prefix(2))
            return
        }
        if digits.count == 10, let kind = Self.nanp(digits) { self = kind; return }
        if digits.count == 11, digits.hasPrefix("1"), let kind = Self.nanp(digits.dropFirst()) { self = kind; return }
        // An international access code (011, 00), possibly behind one or
        // two outside-line digits (9011, 8011, 900...) as PBX dial plans and
        // toll-fraud bots use them; a NANP-shaped number (10 digits, or 11
        // after a 1) is never read this way: 500-555-0123 is domestic.
        let nanpShaped = digits.count == 10 || (digits.count == 11 && digits.hasPrefix("1"))
        for outside in 0...2 where !nanpShaped || outside == 0 {
            let rest = digits.dropFirst(outside)
            for idd in ["011", "00"] where rest.hasPrefix(idd) && rest.count >= idd.count + 7 && !(nanpShaped && idd == "00") {
                self = .international(prefix: String(digits.prefix(outside + idd.count)))
                return
            }
        }
        return nil
    }

    private static func nanp(_ tenDigits: Substring) -> DialledDestination? {
        guard tenDigits.count == 10 else { return nil }
        let area = tenDigits.prefix(3)
        if tollFreeAreaCodes.contains(area) { return .tollFree }
        if premiumAreaCodes.contains(area) { return .premium }
        return nil
    }

    /// "an international (011...)", "a premium-rate", "a toll-free".
    var withArticle: String {
        if case .international = self { return "an " + description }
        return "a " + description
    }

    var description: String {
        switch self {
        case .international(let prefix): return "international (\(prefix)...)"
        case .premium: return "premium-rate"
        case .tollFree: return "toll-free"
        }
    }
}
