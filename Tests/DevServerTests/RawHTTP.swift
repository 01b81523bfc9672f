import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A bare TCP client for 127.0.0.1, to send what no well-behaved client would (a megabyte of
/// header, half a request) and read exactly what the server answers. Every wait is bounded.
final class RawConnection {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawError.socket }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { close(fd); throw RawError.connect }
    }

    deinit { close(fd) }

    /// Sends all of `bytes`; `false` when the server has closed the connection meanwhile.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Whether bytes (or the end of the stream) are waiting, within `seconds`.
    func readable(within seconds: Double) -> Bool {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, Int32(seconds * 1000)) > 0
    }

    /// Reads until `done` says the text is complete, the server closes, or `seconds` pass.
    func read(for seconds: Double, until done: (String) -> Bool = { _ in false }) -> String {
        String(decoding: readBytes(for: seconds) { done(String(decoding: $0, as: UTF8.self)) }, as: UTF8.self)
    }

    /// Reads until `done` says the bytes are complete, the server closes, or `seconds` pass.
    func readBytes(for seconds: Double, until done: ([UInt8]) -> Bool = { _ in false }) -> [UInt8] {
        var received: [UInt8] = []
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while Date() < deadline, readable(within: max(0.001, deadline.timeIntervalSinceNow)) {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            received += buffer[0..<count]
            if done(received) { break }
        }
        return received
    }

    /// One request with `Connection: close`, and the whole response.
    static func exchange(port: Int, _ request: String, seconds: Double = 5) throws -> String {
        let connection = try RawConnection(port: port)
        connection.send(request)
        return connection.read(for: seconds)
    }
}

enum RawError: Error { case socket, connect }

/// A response split into status, headers (lowercased names) and body.
struct RawResponse {
    var status: Int
    var headers: [String: String]
    var body: String

    init(_ text: String) {
        let parts = text.components(separatedBy: "\r\n\r\n")
        let head = parts.first ?? ""
        body = parts.dropFirst().joined(separator: "\r\n\r\n")
        let lines = head.components(separatedBy: "\r\n")
        status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        self.headers = headers
    }
}
