import HTTPClient

/// The project's libcurl client as a source gets it in production, with
/// retries quick enough for a test (three attempts, tens of milliseconds
/// apart) and no proxy: the process's proxy variables must not send
/// loopback traffic elsewhere.
enum TestClient {
    static let curl = CurlHTTPClient(
        options: HTTPClientOptions(connectTimeout: .seconds(5), timeout: .seconds(20),
                                   retry: RetryPolicy(maxAttempts: 3, initialDelay: .milliseconds(10), maxDelay: .milliseconds(40))),
        environment: [:])
}
