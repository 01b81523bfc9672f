@testable import DevServer
import Foundation
import NIOCore
import NIOPosix
@testable import Site
import XCTest
import _TestSupport

/// A running server on 127.0.0.1 (a free port) over a site folder the test writes, with a
/// stand-in build that succeeds or fails as the test says.
final class ServerHarness: @unchecked Sendable {
    let root: URL
    let site: URL
    let watched: URL
    let outcome = Outcome()
    private var task: Task<Void, any Error>?
    private(set) var port = 0

    /// What the next builds do: succeed, or fail with these diagnostics; and how many ran.
    actor Outcome {
        var failure: BuildFailure?
        var builds = 0
        func set(_ failure: BuildFailure?) { self.failure = failure }
        func run() throws -> BuildReport {
            builds += 1
            if let failure { throw failure }
            return BuildReport()
        }
    }

    init(limits: RequestLimits = RequestLimits(), writeSite: Bool = true, port: UInt16 = 0, probe: StreamProbe? = nil,
         looks: LookCounter? = nil, namedLooks: LookCounter? = nil, interval: Double = 0.05) async throws {
        root = TemporaryFolder.path("devserver")
        site = root.appendingPathComponent("site")
        watched = root.appendingPathComponent("content")
        try FileManager.default.createDirectory(at: watched, withIntermediateDirectories: true)
        try "note".write(to: watched.appendingPathComponent("a.md"), atomically: true, encoding: .utf8)
        if writeSite {
            try FileManager.default.createDirectory(at: site.appendingPathComponent("en/page"), withIntermediateDirectories: true)
            try "<!DOCTYPE html><html><body>the page</body></html>".write(to: site.appendingPathComponent("en/page/index.html"), atomically: true, encoding: .utf8)
            try "<!DOCTYPE html><html><body>custom 404 page</body></html>".write(to: site.appendingPathComponent("404.html"), atomically: true, encoding: .utf8)
            try "body { color: red }".write(to: site.appendingPathComponent("style.css"), atomically: true, encoding: .utf8)
            try Data((0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: site.appendingPathComponent("big.bin"))
        }
        var options = BuildOptions(contentDirectory: watched, templatesDirectory: root, outputDirectory: site, cacheDirectory: nil)
        options.lossSources = nil
        var server = DevServer(options: options, address: try ServeAddress(host: "127.0.0.1", port: port),
                               interval: try WatchInterval(seconds: interval), watched: [watched.path])
        server.limits = limits
        server.streamProbe = probe
        server.looks = looks
        server.namedLooks = namedLooks
        let outcome = self.outcome
        server.build = { _ in try await outcome.run() }
        let (ports, found) = AsyncStream.makeStream(of: Int.self)
        let events = Events()
        self.events = events
        task = Task {
            try await server.run { event in
                events.append(event)
                if case let .serving(url) = event { found.yield(Int(url.split(separator: ":").last!.dropLast())!) }
            }
        }
        for await port in ports { self.port = port; break }
        if self.port == 0, let task, case let .failure(error) = await task.result { XCTFail("the server did not start: \(error)") }
    }

    let events: Events

    final class Events: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [DevServer.Event] = []
        func append(_ event: DevServer.Event) { lock.lock(); list.append(event); lock.unlock() }
        /// Each rebuild's changed files, in order.
        var changes: [[String]] {
            lock.lock(); defer { lock.unlock() }
            return list.compactMap { if case let .built(_, rebuild) = $0 { return rebuild.changed } else { return nil } }
        }
        var builds: Int {
            lock.lock(); defer { lock.unlock() }
            return list.filter { if case .serving = $0 { return false } else if case .request = $0 { return false } else { return true } }.count
        }
    }

    func get(_ path: String, method: String = "GET", headers: [String] = []) throws -> RawResponse {
        let extra = headers.map { "\($0)\r\n" }.joined()
        return RawResponse(try RawConnection.exchange(port: port, "\(method) \(path) HTTP/1.1\r\nHost: x\r\n\(extra)Connection: close\r\n\r\n"))
    }

    /// Waits (at most `seconds`) until `condition` holds.
    func wait(seconds: Double = 10, _ condition: () async -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if await condition() { return true }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        return false
    }

    func stop() async {
        task?.cancel()
        _ = try? await task?.value
        TemporaryFolder.remove(root)
    }
}

final class ServerTests: XCTestCase {
    func testPagesWithScriptFilesWithTypesAndHead() async throws {
        let server = try await ServerHarness()
        let built = try await server.wait { server.events.builds >= 1 }
        XCTAssertTrue(built)
        let page = try server.get("/en/page/")
        XCTAssertEqual(page.status, 200)
        XCTAssertEqual(page.headers["content-type"], "text/html; charset=utf-8")
        XCTAssertTrue(page.body.hasPrefix("<!DOCTYPE html><html><body>the page</body></html>"))
        XCTAssertTrue(page.body.contains("/__lossbook/events"), "the live-reload script follows the page")
        XCTAssertEqual(Int(page.headers["content-length"] ?? ""), page.body.utf8.count)
        let onDisk = try String(contentsOf: server.site.appendingPathComponent("en/page/index.html"), encoding: .utf8)
        XCTAssertFalse(onDisk.contains("__lossbook"), "never written to site/")

        let head = try server.get("/en/page/", method: "HEAD")
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.headers["content-length"], page.headers["content-length"])
        XCTAssertEqual(head.headers["etag"], page.headers["etag"])
        XCTAssertEqual(head.body, "")

        let css = try server.get("/style.css")
        XCTAssertEqual(css.headers["content-type"], "text/css; charset=utf-8")
        XCTAssertEqual(css.body, "body { color: red }")

        XCTAssertEqual(try server.get("/en/page/", method: "POST").status, 405)
        XCTAssertEqual(try server.get("/../etc/passwd").status, 403)
        XCTAssertEqual(try server.get("/%2e%2e/etc/passwd").status, 403)
        await server.stop()
    }

    func testConditionalGetIs304() async throws {
        let server = try await ServerHarness()
        _ = try await server.wait { server.events.builds >= 1 }
        for path in ["/style.css", "/en/page/"] {
            let first = try server.get(path)
            let tag = try XCTUnwrap(first.headers["etag"])
            let again = try server.get(path, headers: ["If-None-Match: \(tag)"])
            XCTAssertEqual(again.status, 304, path)
            XCTAssertEqual(again.body, "", path)
            XCTAssertEqual(try server.get(path, headers: ["If-None-Match: \"other\""]).status, 200, path)
        }
        let css = try server.get("/style.css")
        let modified = try XCTUnwrap(css.headers["last-modified"])
        XCTAssertEqual(try server.get("/style.css", headers: ["If-Modified-Since: \(modified)"]).status, 304)
        XCTAssertEqual(try server.get("/style.css", headers: ["If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT"]).status, 200)
        await server.stop()
    }

    /// A page changes with its live-reload script at every build, though its file may not: its
    /// `Last-Modified` is the later of the file's time and the build's, like a file's otherwise.
    func testPagesHaveLastModifiedThatMovesWithEachBuild() async throws {
        let server = try await ServerHarness()
        _ = try await server.wait { server.events.builds >= 1 }
        let page = try server.get("/en/page/")
        let modified = try XCTUnwrap(page.headers["last-modified"])
        XCTAssertEqual(try server.get("/en/page/", headers: ["If-Modified-Since: \(modified)"]).status, 304)
        XCTAssertEqual(try server.get("/en/page/", method: "HEAD", headers: ["If-Modified-Since: \(modified)"]).status, 304)
        XCTAssertEqual(try server.get("/en/page/", headers: ["If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT"]).status, 200)

        // HTTP dates count whole seconds: the next build begins in a later one.
        try await Task.sleep(nanoseconds: 1_100_000_000)
        try "note, changed".write(to: server.watched.appendingPathComponent("a.md"), atomically: true, encoding: .utf8)
        _ = try await server.wait { server.events.builds >= 2 }
        let again = try server.get("/en/page/", headers: ["If-Modified-Since: \(modified)"])
        XCTAssertEqual(again.status, 200, "the page now carries the new build's script")
        let later = try XCTUnwrap(again.headers["last-modified"].flatMap(HTTPDate.parse))
        XCTAssertGreaterThan(later, try XCTUnwrap(HTTPDate.parse(modified)))
        await server.stop()
    }

    func testMissingPageIsTheSite404WithStatus404AndFoldersRedirect() async throws {
        let server = try await ServerHarness()
        _ = try await server.wait { server.events.builds >= 1 }
        let missing = try server.get("/no/such/page")
        XCTAssertEqual(missing.status, 404)
        XCTAssertTrue(missing.body.contains("custom 404 page"), missing.body)
        XCTAssertEqual(try server.get("/no/such/page", method: "HEAD").status, 404)

        let redirect = try server.get("/en/page?x=1")
        XCTAssertEqual(redirect.status, 301)
        XCTAssertEqual(redirect.headers["location"], "/en/page/?x=1")
        XCTAssertEqual(try server.get("//en//page").headers["location"], "/en/page/", "never a //host location")
        await server.stop()
    }

    /// HTTP/1.0 without `Connection: keep-alive` ends with the response: a client reading to the
    /// end of the stream got the page and then waited the 30 s idle timeout for the close.
    func testAnHTTP10ConnectionClosesAfterItsResponse() async throws {
        let server = try await ServerHarness()
        _ = try await server.wait { server.events.builds >= 1 }
        let connection = try RawConnection(port: server.port)
        connection.send("GET /style.css HTTP/1.0\r\nHost: x\r\n\r\n")
        let start = Date()
        let response = RawResponse(connection.read(for: 8))
        XCTAssertLessThan(Date().timeIntervalSince(start), 4, "the connection stayed open after the response")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.body, "body { color: red }")
        // HTTP/1.1 keeps the connection: a second request on it is answered.
        let kept = try RawConnection(port: server.port)
        kept.send("GET /style.css HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertTrue(kept.read(for: 3) { $0.hasSuffix("red }") }.hasPrefix("HTTP/1.1 200"))
        kept.send("HEAD /style.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        XCTAssertTrue(kept.read(for: 3).hasPrefix("HTTP/1.1 200"))
        await server.stop()
    }

    func testFilesAreStreamedWhole() async throws {
        let server = try await ServerHarness()
        _ = try await server.wait { server.events.builds >= 1 }
        let connection = try RawConnection(port: server.port)
        connection.send("GET /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        var received = 0, head = ""
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, connection.readable(within: 5) {
            let count = buffer.withUnsafeMutableBytes { recv(connection.fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            if head.isEmpty, let text = String(bytes: buffer[0..<min(count, 300)], encoding: .isoLatin1), let end = text.range(of: "\r\n\r\n") {
                head = String(text[..<end.lowerBound])
                received += count - text.utf8.distance(from: text.utf8.startIndex, to: end.upperBound)
            } else {
                received += count
            }
        }
        XCTAssertTrue(head.contains("Content-Length: 3145728") || head.contains("content-length: 3145728"), head)
        XCTAssertTrue(head.lowercased().contains("content-type: application/octet-stream"), head)
        XCTAssertEqual(received, 3 << 20)
        await server.stop()
    }

    /// One byte range of a file, or of a page with its live-reload script after it, with `206`;
    /// a range past the end `416`; several ranges, a malformed one or a stale `If-Range` the
    /// whole file with `200`. Every expected body is cut from what a plain GET sends.
    func testSingleByteRangesAre206() async throws {
        let server = try await ServerHarness()
        _ = try await server.wait { server.events.builds >= 1 }
        let css = try server.get("/style.css")
        XCTAssertEqual(css.headers["accept-ranges"], "bytes")
        let whole = Array(css.body.utf8), size = whole.count
        for (range, bytes) in [("0-3", 0..<4), ("5-", 5..<size), ("-3", size - 3..<size), ("-\(size + 100)", 0..<size),
                               ("2-\(size + 100)", 2..<size), ("\(size - 1)-\(size - 1)", size - 1..<size)] {
            let part = try server.get("/style.css", headers: ["Range: bytes=\(range)"])
            XCTAssertEqual(part.status, 206, range)
            XCTAssertEqual(Array(part.body.utf8), Array(whole[bytes]), range)
            XCTAssertEqual(part.headers["content-range"], "bytes \(bytes.lowerBound)-\(bytes.upperBound - 1)/\(size)", range)
            XCTAssertEqual(part.headers["content-length"], String(bytes.count), range)
        }
        for range in ["\(size)-", "\(size + 5)-\(size + 9)", "-0"] {
            let refused = try server.get("/style.css", headers: ["Range: bytes=\(range)"])
            XCTAssertEqual(refused.status, 416, range)
            XCTAssertEqual(refused.headers["content-range"], "bytes */\(size)", range)
            XCTAssertEqual(refused.body, "", range)
        }
        for header in ["Range: bytes=0-1,4-5", "Range: bytes=5-2", "Range: items=0-1", "Range: bytes=x-1",
                       "Range: bytes=0-3\r\nIf-Range: \"other\"", "Range: bytes=0-3\r\nIf-Range: Thu, 01 Jan 1970 00:00:00 GMT"] {
            let full = try server.get("/style.css", headers: [header])
            XCTAssertEqual(full.status, 200, header)
            XCTAssertEqual(full.body, css.body, header)
        }
        let tag = try XCTUnwrap(css.headers["etag"])
        XCTAssertEqual(try server.get("/style.css", headers: ["Range: bytes=0-3", "If-Range: \(tag)"]).status, 206)

        // A page's bytes are the file's and then the script's: a range may take from both.
        let page = try server.get("/en/page/")
        let pageBytes = Array(page.body.utf8)
        let fileSize = try Data(contentsOf: server.site.appendingPathComponent("en/page/index.html")).count
        XCTAssertGreaterThan(pageBytes.count, fileSize + 5)
        let across = try server.get("/en/page/", headers: ["Range: bytes=\(fileSize - 5)-\(fileSize + 4)"])
        XCTAssertEqual(across.status, 206)
        XCTAssertEqual(Array(across.body.utf8), Array(pageBytes[fileSize - 5..<fileSize + 5]))
        XCTAssertEqual(across.headers["content-range"], "bytes \(fileSize - 5)-\(fileSize + 4)/\(pageBytes.count)")
        let tail = try server.get("/en/page/", headers: ["Range: bytes=-20"])
        XCTAssertEqual(Array(tail.body.utf8), Array(pageBytes.suffix(20)), "a range within the script")
        let head = try server.get("/en/page/", method: "HEAD", headers: ["Range: bytes=-20"])
        XCTAssertEqual(head.status, 206)
        XCTAssertEqual(head.headers["content-length"], "20")
        XCTAssertEqual(head.body, "")
        // The 404 page is sent whole.
        XCTAssertEqual(try server.get("/nowhere", headers: ["Range: bytes=0-3"]).status, 404)
        await server.stop()
    }

    /// A range of a large file is read from its start, and streamed as a whole file is.
    func testARangeOfALargeFileIsStreamedFromItsStart() async throws {
        let server = try await ServerHarness()
        _ = try await server.wait { server.events.builds >= 1 }
        let file = try Data(contentsOf: server.site.appendingPathComponent("big.bin"))
        // Not a multiple of 256, the period of the file's bytes: a range read from the file's start would differ.
        let start = file.count / 3 + 7
        let connection = try RawConnection(port: server.port)
        connection.send("GET /big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=\(start)-\r\nConnection: close\r\n\r\n")
        let received = connection.readBytes(for: 20)
        let separator = Array("\r\n\r\n".utf8)
        let end = try XCTUnwrap((0...(received.count - separator.count)).first { Array(received[$0..<$0 + separator.count]) == separator })
        let head = String(decoding: received[..<end], as: UTF8.self).lowercased()
        XCTAssertTrue(head.hasPrefix("http/1.1 206"), head)
        XCTAssertTrue(head.contains("content-range: bytes \(start)-\(file.count - 1)/\(file.count)"), head)
        XCTAssertTrue(head.contains("content-length: \(file.count - start)"), head)
        XCTAssertTrue(Array(received[(end + separator.count)...]) == Array(file[start...]), "the bytes of the range")
        await server.stop()
    }

    /// Hummingbird's body writer learns that a connection cannot take more on its event loop, after
    /// the writes queued before: with the loops busy (here: blocked), the earlier streaming went on
    /// reading and queueing the whole file. Now a chunk is read only when the one two before has left.
    func testADownloadReadsAtMostTwoChunksAheadOfWhatHasLeft() async throws {
        let probe = StreamProbe()
        let server = try await ServerHarness(probe: probe)
        _ = try await server.wait { server.events.builds >= 1 }
        let chunk = 64 * 1024, chunks = 256
        try Data(count: chunks * chunk).write(to: server.site.appendingPathComponent("huge.bin"))
        let connection = try RawConnection(port: server.port)
        connection.send("GET /huge.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        XCTAssertGreaterThan(connection.readBytes(for: 10) { $0.count >= 4096 }.count, 0)
        // The client reads on as fast as it can, so the connection stays writable as far as the
        // server last knew.
        let fd = connection.fd
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while buffer.withUnsafeMutableBytes({ recv(fd, $0.baseAddress, $0.count, 0) }) > 0 {}
        }
        reader.start()
        let loops = Array(MultiThreadedEventLoopGroup.singleton.makeIterator())
        let entered = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        for loop in loops { loop.execute { entered.signal(); release.wait() } }
        for _ in loops { entered.wait() }
        let before = probe.chunks
        let settled = try await server.wait(seconds: 60) { probe.waiting || probe.chunks >= chunks }
        let ahead = probe.chunks - before
        for _ in loops { release.signal() }
        XCTAssertTrue(settled, "neither waiting for the socket nor at the file's end")
        XCTAssertLessThanOrEqual(ahead, 2, "chunks read while nothing could leave (the file has \(chunks))")
        await server.stop()
    }

    func testLongRequestLineIs414AndHugeHeaderIs431() async throws {
        let server = try await ServerHarness()
        let long = try RawConnection.exchange(port: server.port, "GET /" + String(repeating: "a", count: 20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertTrue(long.hasPrefix("HTTP/1.1 414 "), String(long.prefix(100)))

        // A megabyte of header, sent in 4 KB pieces until the server answers.
        let start = Date()
        let connection = try RawConnection(port: server.port)
        connection.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: ")
        let piece = [UInt8](repeating: UInt8(ascii: "b"), count: 4096)
        for _ in 0..<256 where !connection.readable(within: 0.01) {
            guard connection.send(piece) else { break }
        }
        let answer = connection.read(for: 5)
        XCTAssertTrue(answer.hasPrefix("HTTP/1.1 431 "), String(answer.prefix(100)))
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        await server.stop()
    }

    /// A client that sends half a request and waits is answered 408 and dropped, and meanwhile
    /// every other client is served.
    func testSlowClientTimesOutAndDoesNotStallOthers() async throws {
        var limits = RequestLimits()
        limits.headTimeout = .milliseconds(700)
        let server = try await ServerHarness(limits: limits)
        _ = try await server.wait { server.events.builds >= 1 }
        let slow = try RawConnection(port: server.port)
        slow.send("GET /en/page/ HTTP/1.1\r\nHost: x\r\nX-Pad: " + String(repeating: "p", count: 15_000))
        let started = Date()
        XCTAssertEqual(try server.get("/en/page/").status, 200)
        XCTAssertLessThan(Date().timeIntervalSince(started), 1, "served while another head is pending")
        let answer = slow.read(for: 5)
        XCTAssertTrue(answer.hasPrefix("HTTP/1.1 408 "), answer)
        XCTAssertLessThan(Date().timeIntervalSince(started), 4)
        await server.stop()
    }

    /// The watcher does not look at every file every `--interval` (0.05 s here): idle, it looks
    /// once after its first watch and then every ``ChangeNotices/safetyInterval``; an edit is
    /// still seen at once, by a look at the file inotify named alone, and rebuilt as a change of it.
    func testAnIdleServerDoesNotLookAtEveryFileEachInterval() async throws {
        let looks = LookCounter(), namedLooks = LookCounter()
        let server = try await ServerHarness(looks: looks, namedLooks: namedLooks)
        _ = try await server.wait { server.events.builds >= 1 }
        try await Task.sleep(nanoseconds: 1_000_000_000)
        XCTAssertLessThanOrEqual(looks.looks, 2, "polling every 0.05 s looks about 20 times a second")
        let start = Date()
        let note = server.watched.appendingPathComponent("a.md")
        try "note, changed".write(to: note, atomically: true, encoding: .utf8)
        let rebuilt = try await server.wait(seconds: 1.5) { server.events.builds >= 2 }
        XCTAssertTrue(rebuilt, "the edit was seen before the next safety look")
        XCTAssertLessThan(Date().timeIntervalSince(start), ChangeNotices.safetyInterval)
        XCTAssertGreaterThan(namedLooks.looks, 0, "the edit was seen by looking at the file news named")
        XCTAssertEqual(server.events.changes.last, [note.path])
        // News of a file that did not change (opened for writing, closed unwritten) starts no rebuild.
        let seen = namedLooks.looks
        try FileHandle(forWritingTo: note).close()
        let looked = try await server.wait(seconds: 1.5) { namedLooks.looks > seen }
        XCTAssertTrue(looked)
        try await Task.sleep(nanoseconds: 200_000_000)
        XCTAssertEqual(server.events.builds, 2)
        await server.stop()
    }

    /// A long `--interval` does not keep a cancelled watch waiting for news.
    func testAWatchWithALongIntervalEndsSoonWhenCancelled() async throws {
        let server = try await ServerHarness(interval: 60)
        _ = try await server.wait { server.events.builds >= 1 }
        try await Task.sleep(nanoseconds: 300_000_000)
        let start = Date()
        await server.stop()
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
    }

    func testEventsReloadAfterARebuildAndShowAFailedOne() async throws {
        let server = try await ServerHarness()
        _ = try await server.wait { server.events.builds >= 1 }
        let events = try RawConnection(port: server.port)
        events.send("GET /__lossbook/events HTTP/1.1\r\nHost: x\r\n\r\n")
        let hello = events.read(for: 5) { $0.contains("event: hello") && $0.hasSuffix("\n\n") }
        XCTAssertTrue(hello.hasPrefix("HTTP/1.1 200 "), hello)
        XCTAssertTrue(hello.lowercased().contains("content-type: text/event-stream"), hello)
        XCTAssertTrue(hello.contains("data: {\"errors\":[],\"generation\":1}"), hello)

        try "note, changed".write(to: server.watched.appendingPathComponent("a.md"), atomically: true, encoding: .utf8)
        let reload = events.read(for: 5) { $0.contains("event: reload") }
        XCTAssertTrue(reload.contains("event: reload\ndata: {\"generation\":2}"), reload)

        let diagnostic = Diagnostic("content/en/a.md", line: 3, column: 7, stage: .markdown, "unknown loss '<focla>'", hint: "did you mean 'focal'?")
        await server.outcome.set(BuildFailure([diagnostic]))
        try "note, broken".write(to: server.watched.appendingPathComponent("a.md"), atomically: true, encoding: .utf8)
        let failed = events.read(for: 5) { $0.contains("event: failed") }
        XCTAssertTrue(failed.contains("content/en/a.md:3:7: error: unknown loss '<focla>' (hint: did you mean 'focal'?)"), failed)

        // A page opened now learns of the failure at once; the last good page is still served.
        let late = try RawConnection(port: server.port)
        late.send("GET /__lossbook/events HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertTrue(late.read(for: 5) { $0.contains("event: hello") }.contains("content/en/a.md:3:7"))
        XCTAssertEqual(try server.get("/en/page/").status, 200)

        await server.outcome.set(nil)
        try "note, fixed".write(to: server.watched.appendingPathComponent("a.md"), atomically: true, encoding: .utf8)
        XCTAssertTrue(events.read(for: 5) { $0.contains("event: reload") }.contains("\"generation\":3"))
        await server.stop()
    }

    /// Before a site exists: a page that says so (and reloads), or the first build's errors, escaped.
    func testFailedFirstBuildShowsItsErrorsEscaped() async throws {
        let server = try await ServerHarness(writeSite: false)
        let diagnostic = Diagnostic("content/en/a.md", line: 2, column: 1, stage: .markdown, "bad <script>alert(1)</script>")
        await server.outcome.set(BuildFailure([diagnostic]))
        try "note, broken".write(to: server.watched.appendingPathComponent("a.md"), atomically: true, encoding: .utf8)
        _ = try await server.wait { server.events.builds >= 2 }
        let page = try server.get("/")
        XCTAssertEqual(page.status, 500)
        XCTAssertTrue(page.body.contains("content/en/a.md:2:1: error: bad &lt;script&gt;alert(1)&lt;/script&gt;"), page.body)
        XCTAssertFalse(page.body.contains("<script>alert"))
        await server.stop()
    }

    func testTakenPortIsOneErrorBeforeAnyBuild() async throws {
        let first = try await ServerHarness()
        var options = BuildOptions(contentDirectory: first.watched, templatesDirectory: first.root, outputDirectory: first.site, cacheDirectory: nil)
        options.lossSources = nil
        var second = DevServer(options: options, address: try ServeAddress(host: "127.0.0.1", port: UInt16(first.port)),
                               interval: try WatchInterval(seconds: 1), watched: [])
        let builds = ServerHarness.Outcome()
        second.build = { _ in try await builds.run() }
        do {
            try await second.run { _ in }
            XCTFail("a second server on the same port")
        } catch let error as DevServerError {
            XCTAssertEqual(error.description, "cannot serve at http://127.0.0.1:\(first.port)/: address already in use "
                           + "(hint: another program, perhaps another lossbook serve, uses the port; choose one with --port)")
        }
        let count = await builds.builds
        XCTAssertEqual(count, 0)
        await first.stop()
    }

    /// An address that is not this machine's (192.0.2.1 is reserved for documentation) is its
    /// own error, in the system's words: it was NIO's `bind(descriptor:ptr:bytes:): … (errno: 99)`
    /// with the hint that another program had the port.
    func testAnAddressOfAnotherMachineIsOneErrorWithItsOwnHint() async throws {
        let root = TemporaryFolder.path("elsewhere")
        defer { TemporaryFolder.remove(root) }
        var options = BuildOptions(contentDirectory: root, templatesDirectory: root, outputDirectory: root.appendingPathComponent("site"), cacheDirectory: nil)
        options.lossSources = nil
        var server = DevServer(options: options, address: try ServeAddress(host: "192.0.2.1", port: 0),
                               interval: try WatchInterval(seconds: 1), watched: [])
        let builds = ServerHarness.Outcome()
        server.build = { _ in try await builds.run() }
        do {
            try await server.run { _ in }
            XCTFail("serving at an address of another machine")
        } catch let error as DevServerError {
            XCTAssertEqual(error.description, "cannot serve at http://192.0.2.1:0/: cannot assign requested address "
                           + "(hint: --host is not an address of this machine; leave it out to serve on 127.0.0.1)")
        }
        let count = await builds.builds
        XCTAssertEqual(count, 0)
    }
}
