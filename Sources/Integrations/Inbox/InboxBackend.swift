import Annotation
import Foundation

/// The local inbox: ticket JSON files (`*.json`) in one folder, the agent's
/// annotations written as files into another, one folder per ticket. It
/// shows the whole loop on a machine with no ticket system, and is the
/// back-end the crash tests count posts on.
///
/// Posting is deliberately not idempotent by itself (each post is a new
/// file with a name of its own): a duplicate the agent made would show as
/// two files, never be hidden by an overwrite. Files are written atomically
/// (a temporary name, then rename), so `findPost` never reads half a post.
public struct InboxBackend: ConversationBackend {
    public let settings: Settings
    /// Told about a ticket file that is skipped (not JSON, no text), so the
    /// agent logs it; the other files are read on.
    let problem: @Sendable (InboxError) -> Void

    public init(settings: Settings, problem: @escaping @Sendable (InboxError) -> Void = { _ in }) {
        self.settings = settings
        self.problem = problem
    }

    public var name: String { settings.name }
    public var kind: ConversationKind { .tickets }
    public var postStyle: PostStyle { settings.postStyle }
    public var pollInterval: Duration { settings.pollInterval }

    /// Where a poll resumes: the newest modification time seen, and the
    /// files of that very time already returned (a file written in the
    /// same tick after the poll is still seen next time).
    struct Cursor: Codable, Equatable {
        var modifiedNanos: Int64
        var files: [String]
    }

    public func poll(after cursor: String?) async throws -> ConversationPoll {
        let previous = cursor.flatMap { try? JSONDecoder().decode(Cursor.self, from: Data($0.utf8)) }
        let files = try ticketFiles()
        var next = previous ?? Cursor(modifiedNanos: Int64.min, files: [])
        var threads: [ConversationThread] = []
        for (file, modified) in files {
            if let previous {
                if modified < previous.modifiedNanos { continue }
                if modified == previous.modifiedNanos, previous.files.contains(file) { continue }
            }
            if modified > next.modifiedNanos {
                next = Cursor(modifiedNanos: modified, files: [file])
            } else if modified == next.modifiedNanos, !next.files.contains(file) {
                next.files.append(file)
            }
            let path = (settings.inDirectory as NSString).appendingPathComponent(file)
            guard let data = FileManager.default.contents(atPath: path) else {
                problem(.badTicket(file: path, reason: "it cannot be read; give the agent's user read access"))
                continue
            }
            do {
                threads.append(try InboxTicket.thread(from: data, fileName: file, seenAt: Date()))
            } catch {
                problem(error)
            }
        }
        let text = String(decoding: try JSONEncoder().encode(next), as: UTF8.self)
        return ConversationPoll(threads: threads, cursor: next.modifiedNanos == Int64.min ? nil : text)
    }

    /// `*.json` of the in folder with their modification times, oldest first.
    private func ticketFiles() throws -> [(String, Int64)] {
        let dir = settings.inDirectory
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InboxError.missingDirectory(dir, role: "in")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
            .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
        var files: [(String, Int64)] = []
        for name in names {
            var info = stat()
            guard stat((dir as NSString).appendingPathComponent(name), &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            files.append((name, Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)))
        }
        return files.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
    }

    private func threadDirectory(_ thread: ConversationThread) throws -> String {
        guard InboxTicket.isUsableID(thread.id) else { throw InboxError.unusableThread(thread.id) }
        return (settings.outDirectory as NSString).appendingPathComponent(thread.id)
    }

    public func findPost(marker: String, in thread: ConversationThread) async throws -> String? {
        let dir = try threadDirectory(thread)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return nil }
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = (dir as NSString).appendingPathComponent(name)
            if let data = FileManager.default.contents(atPath: path), String(decoding: data, as: UTF8.self).contains(marker) {
                return "\(thread.id)/\(name)"
            }
        }
        return nil
    }

    /// The posts written for a thread, oldest first (names are time-ordered).
    public func posts(in threadID: String) -> [String] {
        let dir = (settings.outDirectory as NSString).appendingPathComponent(threadID)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { (dir as NSString).appendingPathComponent($0) }
    }

    public func post(_ post: RenderedPost, in thread: ConversationThread, idempotencyKey: String) async throws -> String {
        let dir = try threadDirectory(thread)
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw InboxError.cannotWrite(dir, reason: (error as NSError).localizedDescription)
        }
        let ext = switch post.markup { case .plain: "txt"; case .markdown: "md"; case .html: "html" }
        let stamp = String(format: "%.6f", Date().timeIntervalSince1970).replacingOccurrences(of: ".", with: "")
        let name = "\(stamp)-\(UUID().uuidString.prefix(8).lowercased()).\(ext)"
        let final = (dir as NSString).appendingPathComponent(name)
        let temporary = (dir as NSString).appendingPathComponent(".\(name).tmp")
        let body = post.formatted ?? post.plain
        guard FileManager.default.createFile(atPath: temporary, contents: Data(body.utf8)) else {
            throw InboxError.cannotWrite(temporary, reason: String(cString: strerror(errno)))
        }
        guard rename(temporary, final) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw InboxError.cannotWrite(final, reason: reason)
        }
        return "\(thread.id)/\(name)"
    }
}
