import Foundation

/// Results written by concurrent jobs, one slot each.
final class ConcurrentResults<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: T) { lock.lock(); slots[index] = value; lock.unlock() }
    subscript(index: Int) -> T? { lock.lock(); defer { lock.unlock() }; return slots[index] }
}

/// A flag set and read from several threads.
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    var value: Bool {
        get { lock.lock(); defer { lock.unlock() }; return flag }
        set { lock.lock(); flag = newValue; lock.unlock() }
    }
}

/// A value made on a thread of its own from the moment it is asked for, taken when a stage comes
/// to it (``value`` waits for it): the notes' commit dates, the build stamp's blocks. A thread, not
/// a task: the cooperative pool's threads may be the ones that wait for it.
final class Ahead<Value>: @unchecked Sendable {
    private let done = DispatchGroup()
    private var made: Value?

    init(_ make: @escaping @Sendable () -> Value) {
        done.enter()
        Thread.detachNewThread { [self] in
            made = make()
            done.leave()
        }
    }

    /// The value, once made.
    var value: Value {
        done.wait()
        return made!
    }
}

/// A value made the first time it is asked for, under a lock, then kept: what only some builds
/// need (the library's word index, a kept theme's parsed templates).
final class OnFirstUse<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var made: Value?
    /// Dropped once it has made the value (with what it holds).
    private var make: (@Sendable () -> Value)?

    init(_ make: @escaping @Sendable () -> Value) { self.make = make }

    /// Already made: `value` is returned as it is.
    init(made value: Value) { made = value }

    var value: Value {
        lock.withLock {
            if let made { return made }
            let value = make!()
            (made, make) = (value, nil)
            return value
        }
    }
}

extension OnFirstUse: CustomReflectable {
    /// Its value, made if it was not yet: what a debugger, `dump` or a test's reflection shows (a
    /// value read at once and one read when first asked for show alike).
    var customMirror: Mirror { Mirror(self, children: ["value": value]) }
}

/// Hands out the indices `0..<count` in order, one to each worker that asks, until they run
/// out or a worker fails (the Node.js helpers' chunks, the folders of a removed site).
final class WorkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private let count: Int
    private var failure: Error?

    var error: Error? { lock.withLock { failure } }

    init(count: Int) { self.count = count }

    func next() -> Int? {
        lock.withLock {
            guard failure == nil, nextIndex < count else { return nil }
            defer { nextIndex += 1 }
            return nextIndex
        }
    }

    /// The first failure stops the handing out; later ones (of the other workers) are dropped.
    func fail(_ error: Error) { lock.withLock { if failure == nil { failure = error } } }
}
