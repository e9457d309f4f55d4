import TraceSynthesis

/// The one seeded generator, shared with the capture scripts.
public typealias SplitMix64 = TraceSynthesis.SplitMix64
