import Foundation

/// What a file's streaming has done, for tests: chunks read from disk, and whether it is waiting
/// for the socket to take what it wrote before.
final class StreamProbe: @unchecked Sendable {
    private let lock = NSLock()
    private var _chunks = 0, _waiting = false

    var chunks: Int { lock.lock(); defer { lock.unlock() }; return _chunks }
    var waiting: Bool { lock.lock(); defer { lock.unlock() }; return _waiting }

    func read() { lock.lock(); _chunks += 1; lock.unlock() }
    func waiting(_ on: Bool) { lock.lock(); _waiting = on; lock.unlock() }
}
