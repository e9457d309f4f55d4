import TraceFormats

extension CallMedia.StreamRTCP {
    /// What the receivers' RTCP says about the stream with this SSRC.
    ///
    /// Round trip (RFC 3550 section 6.4.1): a report block's LSR echoes the
    /// middle 32 bits of the NTP timestamp of the last SR it got from the
    /// stream's sender, and DLSR is how long it held it, in 1/65536 s. So
    /// capture-time(RR) - capture-time(SR) - DLSR is the round trip between
    /// the capture point and the reporting receiver: the whole round trip
    /// when the capture was taken next to the stream's sender, part of it
    /// otherwise.
    init(ssrc: UInt32, clockRate: Int, index: MediaIndex) {
        self.init()
        let reports = index.capture.rtcp
        let blocks = index.blocksAbout[ssrc] ?? []
        var fractionSum = 0.0
        var lastTime = -Double.infinity
        var trips: [Double] = []
        for (r, b) in blocks {
            let report = reports[r], block = report.blocks[b]
            reportCount += 1
            fractionSum += block.fractionLost
            if report.time >= lastTime {
                lastTime = report.time
                lastCumulativeLost = block.cumulativeLost
                // Interarrival jitter is sent in timestamp units.
                lastJitterMs = clockRate > 0 ? Double(block.jitter) * 1000 / Double(clockRate) : nil
            }
            guard block.lsr != 0, let sent = index.senderReports[UInt64(ssrc) << 32 | UInt64(block.lsr)] else { continue }
            let hold = Double(block.dlsr) / 65536
            // The latest matching SR before the report (the LSR repeats
            // until a new SR arrives, and NTP middles can recur after 18 hours).
            guard let sr = sent.filter({ $0 <= report.time }).max() else { continue }
            let trip = report.time - sr - hold
            if trip >= 0 && trip < 10 { trips.append(trip) }
        }
        if reportCount > 0 { meanFractionLostPercent = fractionSum * 100 / Double(reportCount) }
        if !trips.isEmpty { roundTripMs = trips.reduce(0, +) * 1000 / Double(trips.count) }
        if let last = (index.voipAbout[ssrc] ?? []).max(by: { reports[$0].time < reports[$1].time }) {
            voip = reports[last].voip
        }
    }
}
