import AgentConfig
import Foundation
import HTTPClient
import Integrations
import SIPCore
import Store

/// The trace sources a configuration names, ready to be asked for a call:
/// its export directories (through the index), then its Homer servers,
/// then its HTTP services, in the order written. Secrets are resolved
/// here, at the last moment, and handed over as values that never print.
/// With no configuration, the directories the index already knows are the
/// sources, so `agentctl index DIR` then `diagnose --call-id ID` works on a
/// machine with nothing set up.
public struct ConfiguredSources: Sendable {
    public var sources: [any CallTraceSource] = []
    /// A source that could not be set up (a secret variable unset): said
    /// once, and the others still asked.
    public var problems: [String] = []
    /// The secrets resolved, for the log scrubber.
    public var secrets: [ResolvedSecret] = []

    /// - Parameter remembered: the directories `agentctl index DIR` was
    ///   given, asked when the configuration names none.
    public init(_ config: AgentConfiguration, index: (any TraceIndexStore)?, remembered: [ExportDirectory] = [],
         environment: [String: String] = ProcessInfo.processInfo.environment) {
        let configured = config.exportDirectories.map(Self.exportDirectory)
        let directories = configured.isEmpty ? remembered : configured
        if !directories.isEmpty {
            sources.append(ExportDirectorySource(directories: directories, store: index))
        }
        guard !config.homerSources.isEmpty || !config.httpSources.isEmpty else { return }
        let client = CurlHTTPClient(options: HTTPClientOptions(caBundlePath: config.tls.caBundlePath), environment: environment)
        for homer in config.homerSources {
            do {
                let password = try homer.password.resolve(environment: environment)
                secrets.append(ResolvedSecret(password.text))
                let settings = HomerSource.Settings(
                    baseURL: homer.baseURL, username: homer.username, password: ResolvedSecret(password.text),
                    nodes: homer.nodes, searchWindow: homer.searchWindow, limits: config.limits, name: homer.name)
                sources.append(try HomerSource(settings: settings, client: client))
            } catch {
                problems.append("homer source \(homer.name) is not asked: \(error)")
            }
        }
        for http in config.httpSources {
            do {
                let settings = HTTPTraceSource.Settings(
                    url: try CallURLTemplate(http.urlTemplate),
                    headers: http.headers.map { HTTPHeader($0.name, $0.value) },
                    auth: try Self.auth(http.auth, environment: environment), limits: config.limits, name: http.name)
                switch settings.auth {
                case .none: break
                case .bearer(let token): secrets.append(token)
                case .basic(_, let password): secrets.append(password)
                case .header(_, let value): secrets.append(value)
                }
                sources.append(try HTTPTraceSource(settings: settings, client: client))
            } catch {
                problems.append("http source \(http.name) is not asked: \(error)")
            }
        }
    }

    public static func exportDirectory(_ d: ExportDirectorySettings) -> ExportDirectory {
        ExportDirectory(path: d.path, maxFileBytes: Int64(d.maxFileBytes),
                        include: d.include.isEmpty ? ["*"] : d.include.map(\.pattern),
                        settleSeconds: d.settleTime.inSeconds)
    }

    private static func auth(_ auth: HTTPAuth, environment: [String: String]) throws -> HTTPTraceSource.Auth {
        switch auth {
        case .none:
            return .none
        case .bearer(let token):
            return .bearer(ResolvedSecret(try token.resolve(environment: environment).text))
        case .basic(let username, let password):
            return .basic(username: username, password: ResolvedSecret(try password.resolve(environment: environment).text))
        case .header(let name, let value):
            return .header(name: name, value: ResolvedSecret(try value.resolve(environment: environment).text))
        }
    }
}

extension ExportDirectory {
    /// A directory as `agentctl index DIR` last indexed it.
    public init(_ remembered: IndexedDirectory) {
        self.init(path: remembered.path, maxFileBytes: remembered.maxFileBytes, include: remembered.include,
                  settleSeconds: remembered.settleSeconds)
    }
}
