import Foundation
import Store
import Testing
import TestSupport

@Suite struct StoreDatabaseTests {
    @Test func theDefaultPathFollowsXDGDataHome() throws {
        #expect(try DatabaseLocation.defaultPath(environment: ["XDG_DATA_HOME": "/data", "HOME": "/home/u"])
            == "/data/agentctl/agentctl.sqlite")
    }

    @Test func withoutXDGDataHomeTheDefaultIsUnderHome() throws {
        #expect(try DatabaseLocation.defaultPath(environment: ["HOME": "/home/u/"])
            == "/home/u/.local/share/agentctl/agentctl.sqlite")
    }

    @Test func aRelativeXDGDataHomeIsIgnored() throws {
        #expect(try DatabaseLocation.defaultPath(environment: ["XDG_DATA_HOME": "data", "HOME": "/home/u"])
            == "/home/u/.local/share/agentctl/agentctl.sqlite")
    }

    @Test func noAbsoluteHomeIsAnErrorThatNamesTheFix() {
        #expect(throws: StoreError.noDefaultLocation) {
            try DatabaseLocation.defaultPath(environment: ["HOME": "relative"])
        }
        #expect(StoreError.noDefaultLocation.description.contains("--database"))
    }

    @Test func theFileAndItsDirectoriesAreCreatedOnFirstUseInWALMode() throws {
        let scratch = try Scratch()
        let database = try StoreDatabase.openDefault(environment: ["XDG_DATA_HOME": scratch.path("xdg")])
        #expect(database.path == scratch.path("xdg/agentctl/agentctl.sqlite"))
        #expect(FileManager.default.fileExists(atPath: database.path))
        #expect(try database.journalMode() == "wal")
        #expect(try database.appliedMigrations() == ["v1", "v2-indexed-directory", "v3-span-call-id-and-local-part", "v4-agent-journal",
                                                         "v5-agent-deliveries"])
    }

    @Test func aDirectoryThatCannotBeMadeIsAClearError() throws {
        let scratch = try Scratch()
        let blocker = try scratch.write("file", [1])
        #expect {
            try StoreDatabase(path: blocker + "/sub/agentctl.sqlite")
        } throws: { error in
            guard case .cannotOpen(let path, _) = error as? StoreError else { return false }
            return path == blocker + "/sub/agentctl.sqlite"
        }
    }

    @Test func aDirectoryOrAnEmptyPathIsAClearError() throws {
        let scratch = try Scratch()
        for path in [scratch.url.path, ""] {
            #expect(throws: StoreError.self) { try StoreDatabase(path: path) }
        }
    }

    @Test func aFileThatIsNotADatabaseIsAClearError() throws {
        let scratch = try Scratch()
        let path = try scratch.write("notes.sqlite", Array(repeating: UInt8(ascii: "x"), count: 4096))
        #expect {
            try StoreDatabase(path: path)
        } throws: { error in
            guard case .cannotOpen = error as? StoreError else { return false }
            return true
        }
    }
}
