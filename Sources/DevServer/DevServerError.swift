import Foundation

/// What the development server rejects before it builds anything.
public enum DevServerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `--interval` is not a positive, finite number of seconds up to a day.
    case invalidInterval(Double)
    /// `--host` is not an IP address or `localhost`.
    case invalidHost(String)
    /// The address could not be listened on: why, what to do (chosen by the system's error), and
    /// the flag that chose what was refused (`--port` or `--host`), where the error is placed.
    case cannotListen(url: String, reason: String, hint: String, flag: String = "--port")

    public var description: String {
        switch self {
        case let .invalidInterval(seconds):
            return "--interval must be a positive, finite number of seconds from \(WatchInterval.minimum) up to \(Int(WatchInterval.maximum)), not \(seconds)"
        case let .invalidHost(host):
            return "--host must be an IP address or localhost (such as 127.0.0.1 or ::1), not '\(host)'"
        case let .cannotListen(url, reason, hint, _):
            return "cannot serve at \(url): \(reason) (hint: \(hint))"
        }
    }

    /// The error as one positioned line, like every error of a build: an address that cannot be
    /// listened on has no file, so it is placed at the flag that chose it
    /// (`--port:1:1: error: cannot serve at …`); the flags' own mistakes are usage errors.
    public var positioned: String? {
        guard case let .cannotListen(_, _, _, flag) = self else { return nil }
        return "\(flag):1:1: error: \(description)"
    }

    /// ``cannotListen(url:reason:hint:)`` for a failed bind: the system's reason in its words
    /// (not NIO's `bind(descriptor:ptr:bytes:): … (errno: 99)`), and a hint that fits it. A
    /// port in use, an address that is not this machine's and a port that needs root each
    /// have their own: all three used to be told that another program had the port.
    static func cannotListen(url: String, errno code: Int32?, description: String) -> DevServerError {
        guard let code else {
            return .cannotListen(url: url, reason: description, hint: "check --host and --port")
        }
        let reason = String(cString: strerror(code)).lowercased()
        switch code {
        case EADDRINUSE:
            return .cannotListen(url: url, reason: reason, hint: "another program, perhaps another lossbook serve, uses the port; choose one with --port")
        case EADDRNOTAVAIL:
            return .cannotListen(url: url, reason: reason, hint: "--host is not an address of this machine; leave it out to serve on 127.0.0.1", flag: "--host")
        case EACCES:
            return .cannotListen(url: url, reason: reason, hint: "ports below 1024 need root; choose one from 1024 up with --port, or 0 for any")
        default:
            return .cannotListen(url: url, reason: reason, hint: "check --host and --port")
        }
    }
}
