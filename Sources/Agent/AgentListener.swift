import Foundation
import Hummingbird
import Logging

/// The agent's HTTP listener (Hummingbird): /healthz and /metrics, on the
/// configured address, loopback by default. See docs/observability.md.
///
/// - `GET /healthz`: `HealthReport` JSON. 200 whenever the agent answers,
///   whatever its back-ends do: a container HEALTHCHECK or a liveness probe
///   restarts what fails it, and restarting the agent does not bring RT
///   back. `GET /healthz?strict` answers 503 while a back-end fails, for a
///   monitor that should page about it.
/// - `GET /metrics`: `AgentMetrics` in the Prometheus text format, with
///   the health board's state as gauges as of the scrape.
/// - `POST` on each pushed back-end's `inboundPaths` (Slack events and
///   slash commands, Mattermost webhooks): see `InboundRoute`.
public struct AgentListener: Sendable {
    public var host: String
    /// 0 picks a free port; `run` reports the one bound.
    public var port: Int
    private let metrics: AgentMetrics
    private let health: HealthBoard
    private let logger: Logger
    private let inbound: [InboundRoute]
    private let storePageCache: (@Sendable () async -> Int64)?

    /// The content type Prometheus asks for its text exposition format.
    public static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

    public init(host: String = "127.0.0.1", port: Int, metrics: AgentMetrics, health: HealthBoard) {
        self.init(host: host, port: port, metrics: metrics, health: health, logger: Logger(label: "agent.listener"))
    }

    public init(host: String = "127.0.0.1", port: Int, metrics: AgentMetrics, health: HealthBoard, logger: Logger,
                inbound: [InboundRoute] = [], storePageCache: (@Sendable () async -> Int64)? = nil) {
        self.host = host
        self.port = port
        self.metrics = metrics
        self.health = health
        self.logger = logger
        self.inbound = inbound
        self.storePageCache = storePageCache
    }

    /// Serves until the task is cancelled; `onReady` gets the bound port.
    /// Throws `ListenerError` when the address cannot be served (a bad
    /// port, an address in use or not of this machine).
    public func run(onReady: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        guard (0...65535).contains(port) else {
            throw ListenerError.badPort(port)
        }
        let host = self.host
        let logger = self.logger
        let paths = (["/healthz", "/metrics"] + inbound.map(\.path)).joined(separator: " ")
        let app = Application(
            router: router(),
            configuration: .init(address: .hostname(host, port: port)),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                logger.info("listening", metadata: ["address": "\(host)", "port": "\(bound)", "paths": "\(paths)"])
                onReady(bound)
            },
            logger: Logger(label: logger.label) { _ in ShutdownQuietLogHandler(base: logger.handler) }
        )
        do {
            try await app.run()
        } catch is CancellationError {
            return
        } catch {
            if Task.isCancelled { return }
            throw ListenerError.cannotServe(host: host, port: port, reason: String(describing: error))
        }
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        let metrics = self.metrics
        let health = self.health
        router.get("healthz") { request, _ -> Response in
            let report = await health.report()
            let strict = request.uri.queryParameters["strict"].map { $0 != "false" && $0 != "0" } ?? false
            let status: HTTPResponse.Status = strict && report.status == .degraded ? .serviceUnavailable : .ok
            return Response(
                status: status,
                headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: report.json() + "\n"))
            )
        }
        let storePageCache = self.storePageCache
        router.get("metrics") { _, _ -> Response in
            metrics.recordHealth(await health.snapshot())
            if let storePageCache { metrics.recordStorePageCache(bytes: await storePageCache()) }
            return Response(
                status: .ok,
                headers: [.contentType: Self.metricsContentType, .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: metrics.prometheusText()))
            )
        }
        for route in inbound {
            router.post(RouterPath(route.path)) { request, _ -> Response in
                await route.answer(request)
            }
        }
        return router
    }
}

/// Why the listener could not serve, and what to change.
public enum ListenerError: Error, Equatable, CustomStringConvertible {
    case badPort(Int)
    case cannotServe(host: String, port: Int, reason: String)

    public var description: String {
        switch self {
        case .badPort(let port):
            "the listener's port \(port) is not a TCP port: set listener.port in the configuration to 1-65535, or 0 to pick a free one"
        case .cannotServe(let host, let port, let reason):
            "the listener could not serve on \(host):\(port) (\(reason)): if the port is in use, stop what holds it or set another listener.port; "
                + "if the address is not one of this machine's, set listener.address to 127.0.0.1 (loopback) or an address of this machine"
        }
    }
}
