import Agent
import AgentConfig
import Annotation
import ArgumentParser
import Diagnosis
import Foundation
import Integrations
import Logging
import Store

/// What `run` and `replay` both build from the configuration: the
/// database, the back-ends, the trace sources, the renderer with its
/// redaction, the cached diagnoser. A part that cannot be built stops the
/// command with exit 2 and says what to fix.
struct AgentSetup {
    var configuration: AgentConfiguration
    var database: StoreDatabase
    var backends: [any ConversationBackend]
    var sources: [any CallTraceSource]
    var renderer: AnnotationRenderer
    var diagnoser: CachedDiagnoser

    init(_ options: AgentOptions, configuration: AgentConfiguration, logger: Logger) throws {
        self.configuration = configuration
        database = try options.open(configuration)
        do { renderer = AnnotationRenderer(redactor: try Redactor(rules: configuration.redaction)) } catch {
            StandardError.print("error: redaction: \(error); fix redaction.patterns in the configuration")
            throw ExitCode(2)
        }
        let configured = ConfiguredBackends(configuration) { problem in logger.warning("\(problem)") }
        AgentLogging.secrets.register(configured.secrets)
        for problem in configured.problems { logger.warning("\(problem)") }
        backends = configured.backends
        let remembered = ((try? database.indexedDirectories.all()) ?? []).map(ExportDirectory.init)
        let found = ConfiguredSources(configuration, index: database.traceIndex, remembered: remembered)
        AgentLogging.secrets.register(found.secrets)
        for problem in found.problems { logger.warning("\(problem)") }
        sources = found.sources
        diagnoser = CachedDiagnoser(diagnoser: Diagnoser(options: DiagnosisOptions(peers: configuration.peers)),
                                    cache: database.diagnosisCache())
    }
}
