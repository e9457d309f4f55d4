import Store
import Testing
import TestSupport

@Suite struct IndexedDirectoriesTests {
    @Test func aDirectoryIsRememberedOnceWithItsLatestRulesAndCanBeForgotten() throws {
        let scratch = try Scratch()
        let directories = try StoreDatabase(path: scratch.path("db.sqlite")).indexedDirectories
        let first = IndexedDirectory(path: "/srv/exports", maxFileBytes: 1 << 20, include: ["*"], settleSeconds: 2, indexedAt: 10)
        let again = IndexedDirectory(path: "/srv/exports", maxFileBytes: 1 << 30, include: ["*.pcap", "sbc-*/*.gz"], settleSeconds: 5, indexedAt: 20)
        let other = IndexedDirectory(path: "/data/b%_x", maxFileBytes: 1, include: [], settleSeconds: 0, indexedAt: 30)
        try directories.remember(first)
        try directories.remember(other)
        try directories.remember(again)
        #expect(try directories.all() == [other, again])
        try directories.forget(path: "/srv/exports")
        #expect(try directories.all() == [other])
        // Another connection sees the same rows: they are in the file.
        #expect(try StoreDatabase(path: scratch.path("db.sqlite")).indexedDirectories.all() == [other])
    }
}
