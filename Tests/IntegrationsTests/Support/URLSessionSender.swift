import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPClient

/// A stand-in HTTPSending over URLSession, until the libcurl client of
/// branch issue8-http is merged: no retries, no caps, loopback only.
struct URLSessionSender: HTTPSending {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let url = URL(string: request.url) else { throw Failure(description: "not a URL: \(request.url)") }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        for header in request.headers { urlRequest.addValue(header.value, forHTTPHeaderField: header.name) }
        if !request.body.isEmpty { urlRequest.httpBody = Data(request.body) }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 10
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        return try await withCheckedThrowingContinuation { continuation in
            session.dataTask(with: urlRequest) { data, response, error in
                if let error {
                    continuation.resume(throwing: Failure(description: "\(error.localizedDescription)"))
                } else if let http = response as? HTTPURLResponse {
                    let headers = http.allHeaderFields.compactMap { key, value -> HTTPHeader? in
                        guard let name = key as? String, let value = value as? String else { return nil }
                        return HTTPHeader(name, value)
                    }
                    continuation.resume(returning: HTTPResponse(status: http.statusCode, headers: headers, body: Array(data ?? Data())))
                } else {
                    continuation.resume(throwing: Failure(description: "no HTTP response"))
                }
            }.resume()
        }
    }
}
