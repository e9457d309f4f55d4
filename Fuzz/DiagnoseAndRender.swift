import Diagnosis
import TraceFormats

/// What every harness that gets a `Trace` does with it: what `agentctl
/// diagnose` does, every call diagnosed and printed in all three formats,
/// and the call list `agentctl calls` prints.
func diagnoseAndRender(_ trace: Trace) {
    let diagnoses = Diagnoser().diagnoseAll(trace)
    for d in diagnoses {
        _ = TextRenderer().render(d)
        _ = MarkdownRenderer().render(d)
        _ = JSONRenderer().render(d)
    }
    _ = CallTable(diagnoses.map(CallTable.Entry.init)).render()
}
