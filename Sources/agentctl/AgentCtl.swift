import ArgumentParser

@main
struct AgentCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agentctl",
        abstract: "Diagnose SIP call failures from traces.",
        subcommands: [RunCommand.self, ReplayCommand.self, Diagnose.self, Calls.self, Extract.self, Index.self, Bench.self, EngineVerdictsCommand.self, ConfigCommand.self, CacheCommand.self]
    )
}
