@testable import DevServer
import NIOCore
import NIOEmbedded
import XCTest

/// The guard in front of the HTTP parser, fed bytes directly: limits, linear cost, timeouts.
final class RequestHeadGuardTests: XCTestCase {
    func channel(_ limits: RequestLimits = RequestLimits()) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(handler: RequestHeadGuard(limits: limits))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    /// What reached the next handler, and what the guard answered on the socket.
    func feed(_ channel: EmbeddedChannel, _ text: String, chunk: Int = 1 << 20) throws -> (passed: String, answered: String) {
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count, channel.isActive {
            let end = min(bytes.count, start + chunk)
            try channel.writeInbound(ByteBuffer(bytes: bytes[start..<end]))
            start = end
        }
        var passed = "", answered = ""
        while var buffer = try channel.readInbound(as: ByteBuffer.self) { passed += buffer.readString(length: buffer.readableBytes)! }
        while var buffer = try channel.readOutbound(as: ByteBuffer.self) { answered += buffer.readString(length: buffer.readableBytes)! }
        return (passed, answered)
    }

    func testRequestsWithinTheLimitsPassUntouched() throws {
        let requests = "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\nHEAD /a HTTP/1.1\r\nHost: x\r\n\r\n"
        let channel = try channel()
        let (passed, answered) = try feed(channel, requests, chunk: 7)
        XCTAssertEqual(passed, requests)
        XCTAssertEqual(answered, "")
        XCTAssertTrue(channel.isActive)
    }

    func testLongRequestLineIs414() throws {
        let channel = try channel()
        let (_, answered) = try feed(channel, "GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\n\r\n")
        XCTAssertTrue(answered.hasPrefix("HTTP/1.1 414 URI Too Long\r\n"), answered)
        XCTAssertFalse(channel.isActive)
    }

    func testLongHeadIs431() throws {
        let channel = try channel()
        let (_, answered) = try feed(channel, "GET / HTTP/1.1\r\nX-A: " + String(repeating: "b", count: 17_000) + "\r\n\r\n")
        XCTAssertTrue(answered.hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\n"), answered)
        XCTAssertFalse(channel.isActive)
    }

    func testManySmallHeadersCountTogether() throws {
        let channel = try channel()
        let headers = (0..<2000).map { "X-\($0): v\r\n" }.joined()
        let (_, answered) = try feed(channel, "GET / HTTP/1.1\r\n" + headers + "\r\n", chunk: 512)
        XCTAssertTrue(answered.hasPrefix("HTTP/1.1 431 "), answered)
    }

    func testBodiesAre413() throws {
        for header in ["Content-Length: 5", "content-length:12", "Transfer-Encoding: chunked"] {
            let channel = try channel()
            let (_, answered) = try feed(channel, "POST / HTTP/1.1\r\n\(header)\r\n\r\nhello")
            XCTAssertTrue(answered.hasPrefix("HTTP/1.1 413 "), "\(header): \(answered)")
        }
    }

    /// A megabyte of header in 100-byte pieces costs a pass over the 16 KB read before the
    /// refusal, nothing after it.
    func testAMegabyteHeaderIsRefusedInLinearTime() throws {
        let channel = try channel()
        let start = Date()
        let (_, answered) = try feed(channel, "GET / HTTP/1.1\r\nX-A: " + String(repeating: "c", count: 1 << 20), chunk: 100)
        XCTAssertTrue(answered.hasPrefix("HTTP/1.1 431 "), answered)
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
    }

    func testSlowHeadIs408() throws {
        var limits = RequestLimits()
        limits.headTimeout = .seconds(2)
        let channel = try channel(limits)
        let loop = channel.embeddedEventLoop
        _ = try feed(channel, "GET / HTTP/1.1\r\nHost: x\r\n")
        loop.advanceTime(by: .seconds(1))
        _ = try feed(channel, "X-Slow: 1\r\n")
        loop.advanceTime(by: .milliseconds(1500))
        let (_, answered) = try feed(channel, "")
        XCTAssertTrue(answered.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"), answered)
        XCTAssertFalse(channel.isActive)
    }

    func testSilentConnectionIsClosedAndCompleteHeadsAreNotTimed() throws {
        var limits = RequestLimits()
        limits.headTimeout = .seconds(2)
        let silent = try channel(limits)
        silent.embeddedEventLoop.advanceTime(by: .seconds(3))
        XCTAssertFalse(silent.isActive)
        XCTAssertEqual(try feed(silent, "").answered, "")

        let served = try channel(limits)
        _ = try feed(served, "GET /__lossbook/events HTTP/1.1\r\nHost: x\r\n\r\n")
        served.embeddedEventLoop.advanceTime(by: .seconds(60))
        XCTAssertTrue(served.isActive, "a long response (the event stream) is not a slow head")
    }
}
