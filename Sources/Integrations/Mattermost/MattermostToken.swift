/// The outgoing webhook's token, compared in constant time
/// (`ConstantTime`); an empty expected token matches nothing.
enum MattermostToken {
    static func matches(_ given: String, expected: String) -> Bool {
        ConstantTime.equal(Array(given.utf8), Array(expected.utf8)) && !expected.isEmpty
    }
}
