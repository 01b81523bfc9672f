import Foundation

/// The state of the site as open pages need it, and the pages listening for changes to it.
///
/// `generation` counts successful builds; a page is served with the generation it shows, so a
/// page that connects after a build it missed reloads at once. At most `maximumListeners`
/// pages listen at a time (a reload, a failure, or a heartbeat every `heartbeat` reaches each).
actor LiveReload {
    enum Phase: Sendable, Equatable {
        /// No build has finished yet.
        case building
        case built
        /// The last build failed, with these one-line errors (`path:line:col: error: …`).
        case failed([String])
    }

    private(set) var generation = 0
    /// When `generation` began (the server's start for 0): a page changes with its live-reload
    /// script, so its `Last-Modified` is at least this.
    private(set) var generationDate = Date()
    private(set) var phase = Phase.building
    private var listeners: [UInt64: AsyncStream<ServerEvent>.Continuation] = [:]
    private var nextListener: UInt64 = 0
    let maximumListeners: Int

    init(maximumListeners: Int = 32) { self.maximumListeners = maximumListeners }

    var snapshot: (generation: Int, date: Date, phase: Phase) { (generation, generationDate, phase) }

    /// A stream that starts with the current state, or `nil` when too many pages listen already.
    func listen() -> AsyncStream<ServerEvent>? {
        guard listeners.count < maximumListeners else { return nil }
        let id = nextListener
        nextListener += 1
        let (stream, continuation) = AsyncStream.makeStream(of: ServerEvent.self, bufferingPolicy: .bufferingNewest(8))
        continuation.yield(.hello(generation: generation, errors: errors))
        continuation.onTermination = { _ in Task { await self.forget(id) } }
        listeners[id] = continuation
        return stream
    }

    var listenerCount: Int { listeners.count }

    private func forget(_ id: UInt64) { listeners[id] = nil }

    private var errors: [String] {
        if case let .failed(errors) = phase { return errors }
        return []
    }

    func built() {
        generation += 1
        generationDate = Date()
        phase = .built
        send(.reload(generation: generation))
    }

    func failed(_ errors: [String]) {
        phase = .failed(errors)
        send(.failed(errors: errors))
    }

    /// A comment line, so that a page gone away is noticed and forgotten.
    func beat() { send(.heartbeat) }

    /// Ends every stream (the server is stopping).
    func finish() {
        for continuation in listeners.values { continuation.finish() }
        listeners = [:]
    }

    private func send(_ event: ServerEvent) {
        for continuation in listeners.values { continuation.yield(event) }
    }
}

/// One server-sent event on `/__lossbook/events`.
enum ServerEvent: Sendable, Equatable {
    case hello(generation: Int, errors: [String])
    case reload(generation: Int)
    case failed(errors: [String])
    case heartbeat

    /// The event as it goes on the wire: JSON data on one `data:` line (JSON escapes newlines).
    var text: String {
        switch self {
        case let .hello(generation, errors):
            return "event: hello\ndata: \(Self.json(["generation": generation, "errors": errors]))\n\n"
        case let .reload(generation):
            return "event: reload\ndata: \(Self.json(["generation": generation]))\n\n"
        case let .failed(errors):
            return "event: failed\ndata: \(Self.json(["errors": errors]))\n\n"
        case .heartbeat:
            return ": heartbeat\n\n"
        }
    }

    private static func json(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
