import ArgumentParser
import Engine

/// `agentctl engine-verdicts`: writes the golden file of what the engine
/// concludes for every fixture; hidden, it is for whoever bumps
/// `Diagnosis.engineVersion`.
struct EngineVerdictsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine-verdicts",
        abstract: "Print the engine version and each fixture call's verdict, for Fixtures/engine-verdicts.txt.",
        shouldDisplay: false
    )

    @Argument(help: "The folder of text traces.")
    var folder: String = "Fixtures/traces"

    func run() {
        print(EngineVerdicts.compute(tracesIn: folder).text, terminator: "")
    }
}
