extension CallMedia {
    /// The media section of the diagnosis.
    var summary: MediaSummary {
        let rows = streams.map(Self.row)
        let note: String
        if captureStreamCount == 0 {
            note = "The capture holds no RTP at all, so media was not measured."
        } else if rows.isEmpty {
            note = "The capture holds RTP (\(captureStreamCount) stream\(captureStreamCount == 1 ? "" : "s")), but none to or from this call's SDP addresses."
        } else {
            note = "Measured at the capture point: loss and jitter are what reached it, not what the phones heard. MOS is an E-model (ITU-T G.107) estimate, not a listening test."
        }
        return MediaSummary(streams: rows, captureStreamCount: captureStreamCount, note: note)
    }

    static func row(_ s: Stream) -> MediaStreamSummary {
        let r = s.rtp
        let measured = r.clockRate > 0
        var rtcp: RTCPSummary?
        if s.rtcp.reportCount > 0 || s.rtcp.voip != nil {
            rtcp = RTCPSummary(reports: s.rtcp.reportCount, reportedLossPercent: s.rtcp.meanFractionLostPercent,
                               reportedJitterMs: s.rtcp.lastJitterMs, roundTripMs: s.rtcp.roundTripMs,
                               endpointMOS: s.rtcp.voip?.mosLQ, endpointRFactor: s.rtcp.voip?.rFactor)
        }
        return MediaStreamSummary(
            from: s.senderName, to: s.receiverName, source: r.source.description, destination: r.destination.description,
            advertisedSource: s.advertisedSource?.description, ssrc: r.ssrcText,
            codec: s.codec ?? r.payloadTypes.first.map { "PT\($0)" } ?? "?", payloadTypes: r.payloadTypes,
            packets: r.packets, expected: r.expected, lost: r.lost, lossPercent: r.lossPercent,
            duplicates: r.duplicates, outOfOrder: r.outOfOrder,
            jitterMeanMs: measured ? r.jitterMeanMs : nil, jitterMaxMs: measured ? r.jitterMaxMs : nil,
            largestGapMs: r.largestGapSeconds * 1000, startTime: r.firstTime, durationSeconds: r.durationSeconds,
            comfortNoisePackets: r.comfortNoisePackets, mosEstimate: s.mosEstimate, rtcp: rtcp)
    }
}
