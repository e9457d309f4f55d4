import ArgumentParser
import Diagnosis
import Foundation
import SIPCore
import TraceFormats

/// `agentctl bench`: figures for the two costs that matter at 2 AM, how
/// fast a big text trace is read and how long one call takes to explain.
/// It prints figures only; nothing passes or fails.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure SIP parse throughput and diagnosis time on generated traffic.",
        discussion: "Figures only mean something in a release build: swift run -c release agentctl bench. `agentctl bench capture` measures captures against tshark; `agentctl bench store` the index lookups and cache hits; `agentctl bench index` the indexing of an export directory.",
        subcommands: [BenchCaptureCommand.self, BenchStoreCommand.self, BenchIndexCommand.self]
    )

    @Option(help: "Megabytes of generated SIP text to parse.")
    var megabytes: Int = 64

    @Option(help: "Messages in the generated trace that is diagnosed.")
    var messages: Int = 1000

    @Option(help: "Times each measurement is repeated; the median is reported.")
    var runs: Int = 5

    func validate() throws {
        guard megabytes > 0, megabytes <= 4096 else { throw ValidationError("--megabytes must be 1...4096") }
        guard messages > 0, messages <= 1_000_000 else { throw ValidationError("--messages must be 1...1000000") }
        guard runs > 0, runs <= 100 else { throw ValidationError("--runs must be 1...100") }
    }

    func run() throws {
        #if DEBUG
        print("build: debug (figures are not representative; use swift run -c release agentctl bench)")
        #else
        print("build: release")
        #endif
        parseThroughput()
        fflush(nil) // each figure shows as soon as it is measured (nil: all streams)
        diagnosisTime()
    }

    private func parseThroughput() {
        let corpus = BenchCorpus(megabytes: megabytes)
        let mb = Double(corpus.bytes.count) / 1_000_000
        var seconds: [Double] = []
        var parsed = 0, headerCount = 0
        // The parser alone first; the reader figure below adds finding the
        // message boundaries, which is what a user's trace costs.
        for _ in 0..<runs {
            parsed = 0
            headerCount = 0
            let start = ContinuousClock.now
            corpus.bytes.withUnsafeBufferPointer { buf in
                for r in corpus.ranges {
                    if let m = try? SIPParser.parse(UnsafeBufferPointer(rebasing: buf[r])) {
                        parsed += 1
                        headerCount &+= m.headers.count // keeps the work observable
                    }
                }
            }
            seconds.append(Self.seconds(ContinuousClock.now - start))
        }
        let median = Self.median(seconds)
        print("parse: \(FixedPoint.text(mb, 1)) MB, \(parsed) of \(corpus.ranges.count) messages, \(headerCount) headers")
        print("parse: \(FixedPoint.text(mb / median, 1)) MB/s on one core, parser alone (median of \(runs), \(FixedPoint.text(median * 1000, 1)) ms)")

        var readSeconds: [Double] = []
        var read = 0
        for _ in 0..<runs {
            let start = ContinuousClock.now
            read = (try? TraceLoader.read(bytes: corpus.bytes, name: "bench", format: .rawSIP))?.messages.count ?? 0
            readSeconds.append(Self.seconds(ContinuousClock.now - start))
        }
        let readMedian = Self.median(readSeconds)
        print("read: \(FixedPoint.text(mb / readMedian, 1)) MB/s on one core, raw SIP reader with splitting, \(read) messages (median of \(runs), \(FixedPoint.text(readMedian * 1000, 1)) ms)")
    }

    private func diagnosisTime() {
        let trace = BenchCorpus(messages: messages).trace()
        let diagnoser = Diagnoser()
        guard let first = diagnoser.callIDs(in: trace).first else {
            print("diagnose: the generated trace holds no call (generator bug)")
            return
        }
        var one: [Double] = [], all: [Double] = []
        for _ in 0..<runs {
            var start = ContinuousClock.now
            _ = try? diagnoser.diagnose(trace, callID: first)
            one.append(Self.seconds(ContinuousClock.now - start))
            start = ContinuousClock.now
            _ = diagnoser.diagnoseAll(trace)
            all.append(Self.seconds(ContinuousClock.now - start))
        }
        let calls = diagnoser.callIDs(in: trace).count
        print("diagnose: one call in a \(trace.messages.count)-message trace: \(FixedPoint.text(Self.median(one) * 1000, 2)) ms (median of \(runs))")
        print("diagnose: all \(calls) calls: \(FixedPoint.text(Self.median(all) * 1000, 2)) ms (median of \(runs))")
    }

    static func seconds(_ d: Duration) -> Double { d.inSeconds }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        guard !s.isEmpty else { return 0 }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
