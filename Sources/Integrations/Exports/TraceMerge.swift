import TraceFormats

/// One trace from the parts of a call read out of several files (a call
/// that crossed a rotation, legs exported by different boxes): messages
/// in time order and numbered afresh, media and warnings gathered.
enum TraceMerge {
    static func merge(_ parts: [(name: String, trace: Trace)]) -> Trace? {
        guard let first = parts.first else { return nil }
        var all: [(time: Double, part: Int, position: Int, message: CapturedMessage)] = []
        var media: MediaCapture?
        var warnings: [String] = []
        var platformLog: [PlatformLogLine] = []
        for (p, part) in parts.enumerated() {
            // A message with no time keeps the place of the one before it.
            var last = -Double.infinity
            for (i, m) in part.trace.messages.enumerated() {
                if let t = m.timestamp { last = t }
                all.append((last, p, i, m))
            }
            if let m = part.trace.media {
                media = media ?? MediaCapture()
                media!.streams += m.streams
                media!.rtcp += m.rtcp
            }
            warnings += part.trace.warnings.map { parts.count > 1 ? "\(part.name): \($0)" : $0 }
            platformLog += part.trace.platformLog
        }
        all.sort { ($0.time, $0.part, $0.position) < ($1.time, $1.part, $1.position) }
        let messages = all.enumerated().map { n, entry in
            var m = entry.message
            m.index = n + 1
            // Lines and frame numbers were those of the ranges read, not of
            // the files: a reference to them would mislead.
            m.line = 0
            m.frames = nil
            return m
        }
        return Trace(format: first.trace.format, messages: messages, warnings: warnings, media: media,
                     platformLog: parts.count == 1 ? first.trace.platformLog : platformLog)
    }
}
