/// Seconds between two looks at the watched folders.
///
/// Finite, at least `minimum` (a zero, negative, NaN or infinite interval would trap when turned
/// into nanoseconds, and a tiny one, such as 1e-300, is 0 ns: the watcher would spin at full CPU),
/// and at most a day, so that the nanoseconds fit a `UInt64`.
public struct WatchInterval: Sendable, Equatable {
    public static let minimum = 0.01
    public static let maximum = 86_400.0
    /// A look costs one `stat` per watched file (a few hundred): ten a second is cheap, and a
    /// save waits 50 ms on average before its rebuild starts.
    public static let standard = 0.1

    public let seconds: Double

    public init(seconds: Double) throws(DevServerError) {
        guard seconds.isFinite, seconds >= Self.minimum, seconds <= Self.maximum else { throw .invalidInterval(seconds) }
        self.seconds = seconds
    }

    var nanoseconds: UInt64 { UInt64(seconds * 1e9) }
}
