import Logging

/// The listener's logger as handed to Hummingbird: HummingbirdCore logs
/// "Waiting on child channel: CancellationError()" at error level when the
/// task serving it is cancelled (Server.swift, `executeThenClose`), which
/// is how the agent stops its listener on every shutdown. An error line on
/// every clean stop would teach people to ignore error lines, so that one
/// message goes out at debug; everything else passes unchanged.
struct ShutdownQuietLogHandler: LogHandler {
    var base: any LogHandler

    var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { base.metadataProvider }
        set { base.metadataProvider = newValue }
    }

    var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        if event.level > .debug, Self.isCancellationNoise(event.message.description) {
            guard base.logLevel <= .debug else { return }
            event.level = .debug
        }
        base.log(event: event)
    }

    static func isCancellationNoise(_ message: String) -> Bool {
        message.hasPrefix("Waiting on child channel") && message.hasSuffix("CancellationError()")
    }
}
