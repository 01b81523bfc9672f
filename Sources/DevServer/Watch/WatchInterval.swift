/// Seconds between two looks at the watched folders.
///
/// Positive and finite (a zero, negative, NaN or infinite interval would spin or trap when
/// turned into nanoseconds), and at most a day, so that the nanoseconds fit a `UInt64`.
public struct WatchInterval: Sendable, Equatable {
    public static let maximum = 86_400.0
    /// A look costs one `stat` per watched file (a few hundred): ten a second is cheap, and a
    /// save waits 50 ms on average before its rebuild starts.
    public static let standard = 0.1

    public let seconds: Double

    public init(seconds: Double) throws(DevServerError) {
        guard seconds.isFinite, seconds > 0, seconds <= Self.maximum else { throw .invalidInterval(seconds) }
        self.seconds = seconds
    }

    var nanoseconds: UInt64 { UInt64(seconds * 1e9) }
}
