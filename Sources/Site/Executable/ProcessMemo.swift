import Foundation

/// Values computed once per process, by key, for results that depend only on the code compiled
/// into this binary and on what the key holds: a `serve` session's rebuilds and a test run's many
/// fresh sites ask for them again.
final class ProcessMemo<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var known: [String: Value] = [:]

    /// The value for `key`, made by `make` the first time. Two threads asking at once may both make
    /// it; the results are the same, and either is kept.
    func value(_ key: String, _ make: () throws -> Value) rethrows -> Value {
        lock.lock()
        if let value = known[key] { lock.unlock(); return value }
        lock.unlock()
        let value = try make()
        lock.lock()
        known[key] = value
        lock.unlock()
        return value
    }
}
