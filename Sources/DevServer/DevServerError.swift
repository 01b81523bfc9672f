/// What the development server rejects before it builds anything.
public enum DevServerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `--interval` is not a positive, finite number of seconds up to a day.
    case invalidInterval(Double)
    /// `--host` is not an IP address or `localhost`.
    case invalidHost(String)
    /// The address could not be listened on (most often: the port is taken).
    case cannotListen(url: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidInterval(seconds):
            return "--interval must be a positive, finite number of seconds from \(WatchInterval.minimum) up to \(Int(WatchInterval.maximum)), not \(seconds)"
        case let .invalidHost(host):
            return "--host must be an IP address or localhost (such as 127.0.0.1 or ::1), not '\(host)'"
        case let .cannotListen(url, reason):
            return "cannot serve at \(url): \(reason) (hint: another program, perhaps another lossbook serve, uses the port; choose one with --port)"
        }
    }
}
