import Foundation

/// Errors and warnings go to stderr so stdout stays the explanation alone
/// (and valid JSON with `--format json`).
enum StandardError {
    static func print(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
