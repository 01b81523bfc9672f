/// What the development server rejects before it starts.
public enum DevServerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `--interval` is not a positive, finite number of seconds up to a day.
    case invalidInterval(Double)

    public var description: String {
        switch self {
        case let .invalidInterval(seconds):
            return "--interval must be a positive, finite number of seconds up to \(Int(WatchInterval.maximum)), not \(seconds)"
        }
    }
}
