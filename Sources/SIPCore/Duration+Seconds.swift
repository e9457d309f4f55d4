extension Duration {
    /// The duration in seconds, fractions kept: what a figure, a time
    /// stamp sum or a window in seconds since the epoch needs.
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
