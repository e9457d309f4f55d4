import Foundation
import HTTPClient

/// The few REST API v4 calls the back-end makes, with a bot's or a
/// person's access token as `Authorization: Bearer`:
///
/// - `GET /api/v4/users/me`: the agent's own user id (its posts are not
///   read as questions, and are the ones `findPost` looks at).
/// - `GET /api/v4/posts/{id}`: the triggering post's `root_id`, since a
///   reply must name the thread's root (threads are flat: a `root_id`
///   that is itself a reply is refused with 400
///   `api.post.create_post.root_id.app_error`).
/// - `POST /api/v4/posts` `{channel_id, root_id, message}`: answers 201
///   with the post.
/// - `GET /api/v4/posts/{id}/thread?perPage=&fromPost=&fromCreateAt=&direction=down`:
///   a `PostList` (`order`, `posts`, `has_next`), paged from the last
///   post of a page.
///
/// Errors are `model.AppError` JSON (`id`, `message`, `status_code`); a
/// 429 from the rate limiter is `text/plain` "limit exceeded" with
/// `Retry-After` and `X-RateLimit-*`.
struct MattermostREST: Sendable {
    let server: String
    let token: ResolvedSecret
    let client: any HTTPSending

    struct Post: Sendable, Equatable {
        var id: String
        var channelID: String
        var rootID: String
        var userID: String
        var message: String
        var createAt: Int64
        var fromWebhook: Bool

        init?(_ object: [String: Any]) {
            guard let id = object["id"] as? String, !id.isEmpty else { return nil }
            self.id = id
            channelID = object["channel_id"] as? String ?? ""
            rootID = object["root_id"] as? String ?? ""
            userID = object["user_id"] as? String ?? ""
            message = object["message"] as? String ?? ""
            createAt = (object["create_at"] as? NSNumber)?.int64Value ?? 0
            let props = object["props"] as? [String: Any]
            fromWebhook = (props?["from_webhook"] as? String) == "true" || (props?["from_webhook"] as? Bool) == true
        }
    }

    /// A page of a thread.
    struct ThreadPage: Sendable {
        var posts: [Post]
        var hasNext: Bool
    }

    static let threadPageSize = 100
    /// Far more than a thread's agent posts; a bound, so that a broken
    /// server's endless `has_next` ends.
    static let threadPages = 50

    func me() async throws(MattermostError) -> String {
        let object = try await json("GET", "/api/v4/users/me", label: "/api/v4/users/me", expect: 200)
        guard let id = object["id"] as? String, !id.isEmpty else {
            throw .unexpectedAnswer(server: server, path: "/api/v4/users/me", detail: "a user without an id")
        }
        return id
    }

    func post(_ id: String) async throws(MattermostError) -> Post {
        let label = "/api/v4/posts/{post_id}"
        let object = try await json("GET", "/api/v4/posts/\(id)", label: label, expect: 200)
        guard let post = Post(object) else { throw .unexpectedAnswer(server: server, path: label, detail: "a post without an id") }
        return post
    }

    func create(channelID: String, rootID: String, message: String) async throws(MattermostError) -> Post {
        let label = "/api/v4/posts"
        let body: [String: Any] = ["channel_id": channelID, "root_id": rootID, "message": message]
        let bytes = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])).map(Array.init) ?? []
        let object = try await json("POST", "/api/v4/posts", label: label, body: bytes, expect: 201)
        guard let post = Post(object) else { throw .unexpectedAnswer(server: server, path: label, detail: "a created post without an id") }
        return post
    }

    /// One page of the thread `postID` is in, after `from` (nil: the first).
    func thread(_ postID: String, after from: Post?) async throws(MattermostError) -> ThreadPage {
        let label = "/api/v4/posts/{post_id}/thread"
        var path = "/api/v4/posts/\(postID)/thread?perPage=\(Self.threadPageSize)&direction=down&skipFetchThreads=false"
        if let from { path += "&fromPost=\(from.id)&fromCreateAt=\(from.createAt)" }
        let object = try await json("GET", path, label: label, expect: 200)
        guard let order = object["order"] as? [String], let posts = object["posts"] as? [String: Any] else {
            throw .unexpectedAnswer(server: server, path: label, detail: "a post list without order and posts")
        }
        let list = order.compactMap { (posts[$0] as? [String: Any]).flatMap(Post.init) }
        return ThreadPage(posts: list, hasNext: object["has_next"] as? Bool ?? false)
    }

    private func json(_ method: String, _ path: String, label: String, body: [UInt8] = [], expect: Int) async throws(MattermostError) -> [String: Any] {
        var headers = [HTTPHeader("Authorization", "Bearer " + token.value), HTTPHeader("Accept", "application/json")]
        if !body.isEmpty { headers.append(HTTPHeader("Content-Type", "application/json")) }
        let response: HTTPResponse
        do {
            response = try await client.send(HTTPRequest(method: method, url: server + path, headers: headers, body: body))
        } catch is CancellationError {
            throw .noAnswer(server: server, detail: "cancelled")
        } catch {
            throw .noAnswer(server: server, detail: "\(error)")
        }
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        guard response.status == expect else { throw failure(response, object: object, label: label) }
        guard let object else { throw .unexpectedAnswer(server: server, path: label, detail: response.sketch) }
        return object
    }

    private func failure(_ response: HTTPResponse, object: [String: Any]?, label: String) -> MattermostError {
        let id = object?["id"] as? String ?? ""
        let message = object?["message"] as? String ?? (object == nil ? response.bodyHead : "")
        switch response.status {
        case 401: return .unauthorized(server: server, path: label, message: message)
        case 403: return .forbidden(server: server, path: label, message: message)
        case 404: return .notFound(server: server, path: label, message: message)
        case 429:
            let wait = response.header("Retry-After").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }.map { Duration.seconds($0) }
            return .rateLimited(server: server, path: label, retryAfter: wait)
        case 500...: return .serverError(server: server, path: label, status: response.status, message: message)
        default: return .rejected(server: server, path: label, status: response.status, id: id, message: message)
        }
    }
}
