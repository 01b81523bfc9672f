#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where `lossbook serve` listens: an IP address (or `localhost`, taken as 127.0.0.1, so that
/// no name lookup decides it) and a port (0: any free one).
public struct ServeAddress: Sendable, Equatable {
    public let host: String
    public let port: UInt16
    /// 127.0.0.0/8 or ::1: nothing outside this machine can connect.
    public let isLoopback: Bool
    let isIPv6: Bool

    public init(host: String, port: UInt16) throws(DevServerError) {
        let literal = host == "localhost" ? "127.0.0.1" : host
        var v4 = in_addr(), v6 = in6_addr()
        if inet_pton(AF_INET, literal, &v4) == 1 {
            isIPv6 = false
            isLoopback = UInt32(bigEndian: v4.s_addr) >> 24 == 127
        } else if inet_pton(AF_INET6, literal, &v6) == 1 {
            isIPv6 = true
            isLoopback = withUnsafeBytes(of: v6) { $0.elementsEqual([UInt8](repeating: 0, count: 15) + [1]) }
        } else {
            throw .invalidHost(host)
        }
        self.host = literal
        self.port = port
    }

    /// The address a browser opens, for a port (the one bound when `port` is 0).
    public func url(port: Int) -> String {
        "http://\(isIPv6 ? "[\(host)]" : host):\(port)/"
    }
}
