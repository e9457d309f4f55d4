/// The error `body` throws, nil when it returns: to look into an error's
/// case and words without a do/catch in every test.
func thrown<T>(_ body: () async throws -> T) async -> (any Error)? {
    do {
        _ = try await body()
        return nil
    } catch {
        return error
    }
}
