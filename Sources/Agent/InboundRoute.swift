import Foundation
import Hummingbird
import Integrations
import Logging

/// One listener path a pushed back-end answers: the request read (its raw
/// body, at most `maxBody` bytes), handed to the back-end to verify and
/// read, what it delivers recorded through the agent before the answer
/// goes back. A refusal's reason is logged, never sent.
public struct InboundRoute: Sendable {
    public var path: String
    let backend: any InboundBackend
    let accept: @Sendable (InboundDelivery, any InboundBackend) async throws -> Bool
    let logger: Logger
    /// Slack and Mattermost send a few KiB; Mattermost reads answers of
    /// at most 1 MiB, and the agent takes no more either.
    static let maxBody = 1 << 20

    public init(path: String, backend: any InboundBackend, logger: Logger,
                accept: @escaping @Sendable (InboundDelivery, any InboundBackend) async throws -> Bool) {
        self.path = path
        self.backend = backend
        self.accept = accept
        self.logger = logger
    }

    /// A route for each path of each pushed back-end of `service`.
    public static func routes(for service: AgentService, logger: Logger) -> [InboundRoute] {
        service.inboundBackends.flatMap { backend in
            backend.inboundPaths.map { path in
                InboundRoute(path: path, backend: backend, logger: logger) { delivery, backend in
                    try await service.accept(delivery, from: backend)
                }
            }
        }
    }

    func answer(_ request: Request) async -> Response {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maxBody)
        } catch {
            logger.warning("inbound request refused: body over \(Self.maxBody) bytes or unreadable",
                           metadata: ["backend": "\(backend.name)", "path": "\(path)"])
            return Self.response(.text("request body too large or unreadable\n", status: 413))
        }
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let inbound = InboundRequest(path: path, headers: headers, body: Array(buffer: body))
        switch await backend.receive(inbound) {
        case .refused(let answer, let reason):
            logger.warning("inbound request refused", metadata: ["backend": "\(backend.name)", "path": "\(path)", "reason": "\(reason)"])
            return Self.response(answer)
        case .answered(let answer):
            return Self.response(answer)
        case .delivered(let delivery, let answer):
            do {
                let new = try await accept(delivery, backend)
                if !new {
                    logger.debug("delivery taken in before; answered again", metadata: [
                        "backend": "\(backend.name)", "delivery": "\(delivery.id ?? "")"])
                }
                let final = await backend.answer(answer, after: delivery, recording: new ? .new : .again)
                let backend = self.backend
                return Self.response(final) { written in await backend.answerSent(after: delivery, written: written) }
            } catch {
                _ = await backend.answer(answer, after: delivery, recording: .failed)
                // Not recorded: the vendor must deliver it again.
                logger.error("could not record a delivery; answering 503 so that it is retried",
                             metadata: ["backend": "\(backend.name)", "error": "\(error)"])
                return Self.response(.text("cannot record this delivery now; retry\n", status: 503))
            }
        }
    }

    static func response(_ answer: InboundAnswer) -> Response {
        var headers = HTTPFields()
        if let type = answer.contentType { headers[.contentType] = type }
        return Response(status: HTTPResponse.Status(code: answer.status), headers: headers,
                        body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
    }

    /// The answer, and `written` told whether its body went out to the
    /// vendor (true once the writer finished; false when writing failed,
    /// the connection being gone). A body that is never written (the
    /// connection closed before) calls nothing: the back-end's own wait
    /// for `written` must time out.
    static func response(_ answer: InboundAnswer, written: @escaping @Sendable (Bool) async -> Void) -> Response {
        var headers = HTTPFields()
        if let type = answer.contentType { headers[.contentType] = type }
        let buffer = ByteBuffer(bytes: answer.body)
        return Response(status: HTTPResponse.Status(code: answer.status), headers: headers,
                        body: .init(contentLength: buffer.readableBytes) { writer in
                            do {
                                try await writer.write(buffer)
                                try await writer.finish(nil)
                            } catch {
                                await written(false)
                                throw error
                            }
                            await written(true)
                        })
    }
}
