import ArgumentParser
import TraceFormats

/// `--input-format` takes the format's raw value (`portal`, `raw`, `ngrep`,
/// ...), so the names in `--help` and in `TraceError` messages agree.
extension TraceFormat: ExpressibleByArgument {}
