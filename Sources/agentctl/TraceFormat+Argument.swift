import ArgumentParser
import TraceFormats

/// `--input-format` takes the format's raw value (`portal`, `raw`, `ngrep`,
/// ...), so the names in `--help` and in `TraceError` messages agree.
/// Only text formats are offered: a capture is known by its magic number.
extension TraceFormat: ExpressibleByArgument {
    public init?(argument: String) {
        guard let f = TraceFormat(rawValue: argument), !f.isCapture else { return nil }
        self = f
    }

    public static var allValueStrings: [String] { textFormats.map(\.rawValue) }
}
