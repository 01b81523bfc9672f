import XCTest
import _TestSupport
@testable import Site

/// ``SiteFile``: the write stage's own file writing (no `fsync` per file), with Foundation's error form.
final class SiteFileTests: XCTestCase {
    let fm = FileManager.default

    func testWritesTheBytesAndReplacesALongerFile() throws {
        let folder = try TemporaryFolder.make("sitefile")
        defer { TemporaryFolder.remove(folder) }
        let path = folder.appendingPathComponent("index.html").path
        try SiteFile.write(Data("a longer first version".utf8), to: path)
        try SiteFile.write(Data("短い".utf8), to: path)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), Data("短い".utf8), "the old bytes past the new end are gone")
        try SiteFile.write(Data(), to: path)
        XCTAssertEqual(try fm.attributesOfItem(atPath: path)[.size] as? NSNumber, 0)
    }

    /// A folder read with `getdents64` lists what `readdir` lists: every name (past one buffer's
    /// worth: 2,500 entries of about 60 bytes), with its type and inode; `.` and `..` left out.
    func testAFoldersEntriesAreThoseReaddirLists() throws {
        let folder = try TemporaryFolder.make("entries")
        defer { TemporaryFolder.remove(folder) }
        for index in 0..<2500 {
            XCTAssertTrue(fm.createFile(atPath: folder.appendingPathComponent("page-\(index)-" + String(repeating: "x", count: 24) + ".html").path, contents: Data()))
        }
        try fm.createDirectory(at: folder.appendingPathComponent("焦点 folder"), withIntermediateDirectories: false)
        try fm.createSymbolicLink(atPath: folder.appendingPathComponent("link").path, withDestinationPath: "page-1")
        let fd = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        let read = SiteFile.entries(ofFolder: fd)
        let listing = try XCTUnwrap(opendir(folder.path))
        defer { closedir(listing) }
        let listed = SiteFile.entries(of: listing)
        func rows(_ entries: [(name: String, type: UInt8, inode: UInt64)]) -> [String] {
            entries.map { "\($0.name) \($0.type) \($0.inode)" }.sorted()
        }
        XCTAssertEqual(rows(read), rows(listed))
        XCTAssertEqual(read.count, 2502, "every entry but . and ..")
        // Read a few records at a time into a lent buffer: the same entries.
        let again = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { close(again) }
        let small = UnsafeMutableRawBufferPointer.allocate(byteCount: 512, alignment: 8)
        defer { small.deallocate() }
        XCTAssertEqual(rows(SiteFile.entries(ofFolder: again, buffer: small)), rows(listed))
        // Where the C library has no getdents64: the same entries through readdir.
        let third = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { close(third) }
        XCTAssertEqual(rows(SiteFile.entriesThroughReaddir(ofFolder: third)), rows(listed))
        if listed.contains(where: { $0.type == UInt8(DT_DIR) }) { // a file system that names the types
            XCTAssertTrue(read.contains { $0.type == UInt8(DT_DIR) } && read.contains { $0.type == UInt8(DT_LNK) }, "the types are told apart")
        }
    }

    func testErrorsNameThePathAndTheCause() throws {
        // /dev/full answers every write with ENOSPC.
        XCTAssertThrowsError(try SiteFile.write(Data("x".utf8), to: "/dev/full")) {
            XCTAssertEqual(FileError.cause($0), "/dev/full: no space left on device")
        }
        let missing = TemporaryFolder.path("no-such").appendingPathComponent("index.html").path
        XCTAssertThrowsError(try SiteFile.write(Data("x".utf8), to: missing)) {
            XCTAssertEqual(FileError.cause($0), "\(SiteBuilder.displayPath(URL(fileURLWithPath: missing))): no such file or directory")
        }
    }

    /// A file replaced by a rename: the new bytes, a new inode (a reader holding the old file keeps
    /// it whole), no temporary left; a failed rename leaves neither the temporary nor a change.
    func testReplaceRenamesANewFileIntoPlace() throws {
        let folder = try TemporaryFolder.make("sitefile-replace")
        defer { TemporaryFolder.remove(folder) }
        let path = folder.appendingPathComponent("page").path
        try SiteFile.write(Data("old".utf8), to: path)
        let before = try XCTUnwrap(SiteFile.status(path)).st_ino
        try Data("new".utf8).withUnsafeBytes { try SiteFile.replace($0, at: path) }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), Data("new".utf8))
        XCTAssertNotEqual(try XCTUnwrap(SiteFile.status(path)).st_ino, before)
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: folder.path), ["page"])

        // A folder where the file should go: the rename fails, the folder and the listing stay.
        let blocked = folder.appendingPathComponent("blocked")
        try fm.createDirectory(at: blocked.appendingPathComponent("inside"), withIntermediateDirectories: true)
        XCTAssertThrowsError(try Data("x".utf8).withUnsafeBytes { try SiteFile.replace($0, at: blocked.path) })
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: folder.path).sorted(), ["blocked", "page"])
    }

    /// A cache file written anew: the old one removed first, then the new one renamed to its name.
    /// What a reader already holds (an open file, a mapping) stays whole; a missing file is made;
    /// a path that cannot be removed (a folder) fails with neither a temporary nor a change left.
    func testRenewRemovesTheOldFileAndRenamesTheNewOneToItsName() throws {
        let folder = try TemporaryFolder.make("sitefile-renew")
        defer { TemporaryFolder.remove(folder) }
        let path = folder.appendingPathComponent("memo").path
        try Data("first".utf8).withUnsafeBytes { try SiteFile.renew($0, at: path) }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), Data("first".utf8), "a missing file is made")
        let before = try XCTUnwrap(SiteFile.status(path)).st_ino
        let held = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? held.close() }
        let parts = [Data("sec".utf8), Data("ond".utf8)]
        try parts[0].withUnsafeBytes { a in try parts[1].withUnsafeBytes { b in try SiteFile.renew([a, b], at: path) } }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), Data("second".utf8))
        XCTAssertNotEqual(try XCTUnwrap(SiteFile.status(path)).st_ino, before)
        XCTAssertEqual(try held.readToEnd(), Data("first".utf8), "a reader holding the old file reads it whole")
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: folder.path), ["memo"], "no temporary left")

        // Told there is no old file (a listing without it) when another build has put one there
        // since: renamed over it, the same file in the end.
        let second = try XCTUnwrap(SiteFile.status(path)).st_ino
        try Data("third".utf8).withUnsafeBytes { try SiteFile.renew([$0], at: path, existing: false) }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), Data("third".utf8), "a file put there since is replaced")
        XCTAssertNotEqual(try XCTUnwrap(SiteFile.status(path)).st_ino, second)
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: folder.path), ["memo"], "no temporary left")

        let blocked = folder.appendingPathComponent("blocked")
        try fm.createDirectory(at: blocked.appendingPathComponent("inside"), withIntermediateDirectories: true)
        XCTAssertThrowsError(try Data("x".utf8).withUnsafeBytes { try SiteFile.renew($0, at: blocked.path) }) {
            XCTAssertTrue(FileError.cause($0).hasSuffix("blocked: is a directory"), FileError.cause($0))
        }
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: folder.path).sorted(), ["blocked", "memo"])
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: blocked.path), ["inside"])
    }

    /// Told there is no file at a name (a page memo folder's listing without it), ``SiteFile/renew(_:at:existing:)``
    /// creates the file at its name and writes it there: no temporary file, no rename (each takes
    /// the folder's lock). A folder in the temporary file's place, which stops a write beside and
    /// rename, does not stop it; the file holds every piece, and nothing else is left.
    func testRenewOfANameNotThereWritesTheFileInPlace() throws {
        let folder = try TemporaryFolder.make("sitefile-create")
        defer { TemporaryFolder.remove(folder) }
        let path = folder.appendingPathComponent("memo").path
        let temporary = SiteFile.temporaryPath(for: path)
        try fm.createDirectory(atPath: temporary, withIntermediateDirectories: false)
        let parts = [Data("in ".utf8), Data("place".utf8)]
        try parts[0].withUnsafeBytes { a in try parts[1].withUnsafeBytes { b in try SiteFile.renew([a, b], at: path, existing: false) } }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), Data("in place".utf8))
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: folder.path).sorted(), [URL(fileURLWithPath: temporary).lastPathComponent, "memo"])
        // Told the same of a name that holds a file: written beside and renamed over it, which the folder stops.
        XCTAssertThrowsError(try Data("x".utf8).withUnsafeBytes { try SiteFile.renew([$0], at: path, existing: false) })
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), Data("in place".utf8), "the file is left as it was")
    }

    /// A render cache shard's name, and its temporary file's: what a prune may remove, nothing else.
    func testRenderCacheShardNames() {
        XCTAssertEqual(RenderCache.shard(named: "3a.bin"), 0x3a)
        XCTAssertEqual(RenderCache.shard(named: ".3a.bin.lossbook-4194999"), 0x3a)
        for other in ["3A.bin", "3a.json", "3a.bin~", "x3a.bin", ".3a.bin", "notes", ".dat.nosync1.ab"] {
            XCTAssertNil(RenderCache.shard(named: other), other)
        }
    }

    /// A cache's prune removes a temporary file only when the process that wrote it is gone: not
    /// this process's, nor a running one's (another build still writing), nor a name of another form.
    func testALeftOverTemporaryIsOneWhoseProcessIsGone() throws {
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        XCTAssertTrue(SiteFile.isLeftOverTemporary(".3a.bin.lossbook-\(gone.processIdentifier)"), "a process that ended")
        XCTAssertTrue(SiteFile.isLeftOverTemporary(".0123456789abcdef.lossbook-4194999"), "past the largest process number")
        XCTAssertFalse(SiteFile.isLeftOverTemporary(".3a.bin.lossbook-\(getpid())"), "this process's")
        XCTAssertFalse(SiteFile.isLeftOverTemporary(".3a.bin.lossbook-1"), "a running process's")
        for other in ["3a.bin", ".3a.bin", ".3a.bin.lossbook-", ".3a.bin.lossbook-x1", ".3a.bin.lossbook--5"] {
            XCTAssertFalse(SiteFile.isLeftOverTemporary(other), other)
        }
    }
}
