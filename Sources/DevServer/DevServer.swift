import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Site

/// `lossbook serve`'s work: listen (before building, so a taken port is one error at once),
/// build, serve the site, and rebuild when a watched file changes, telling open pages to reload
/// or to show the failed build's errors. A failed rebuild keeps the last good site served
/// (`SiteBuilder` replaces the output folder only on success).
public struct DevServer: Sendable {
    /// What happened, for the caller to print.
    public enum Event: Sendable {
        /// Listening; the URL has the bound port (the free one chosen for `--port 0`).
        case serving(url: String)
        case built(BuildReport, Rebuild)
        case failed(any Error, Rebuild)
        /// One request, only when `logRequests` is on.
        case request(String)
    }

    public var options: BuildOptions
    public var address: ServeAddress
    public var interval: WatchInterval
    /// Folders whose changes trigger a rebuild (notes, templates, the loss library's sources).
    public var watched: [String]
    public var limits = RequestLimits()
    public var logRequests = false
    /// Seconds between heartbeats on the event streams (a closed page is noticed at the next one).
    var heartbeat = 15.0
    /// Counts the chunks file bodies read from disk, for tests.
    var streamProbe: StreamProbe?
    /// Counts the watcher's looks at every file after the first, for tests.
    var looks: LookCounter?
    /// Counts the watcher's looks at the files news named alone, for tests.
    var namedLooks: LookCounter?
    /// The build; a stand-in in tests.
    var build: @Sendable (BuildOptions) async throws -> BuildReport = { try await SiteBuilder.build($0) }

    public init(options: BuildOptions, address: ServeAddress, interval: WatchInterval, watched: [String]) {
        var options = options
        // One session for the server's life: a rebuild renders only the pages an edit touched.
        if options.session == nil { options.session = BuildSession() }
        self.options = options
        self.address = address
        self.interval = interval
        self.watched = watched
    }

    /// Listens, then builds and watches until cancelled or the server fails. Throws
    /// ``DevServerError/cannotListen(url:reason:)`` before building when the port is taken.
    public func run(events: @escaping @Sendable (Event) -> Void) async throws {
        let reload = LiveReload()
        try await serve(reload: reload, events: events) { _ in
            await self.watch(reload: reload, events: events)
        }
    }

    /// Runs the HTTP server, and `work` once it listens; returns when either ends.
    func serve(reload: LiveReload, events: @escaping @Sendable (Event) -> Void,
               work: @escaping @Sendable (Int) async -> Void) async throws {
        let (started, starting) = AsyncStream.makeStream(of: Result<Int, any Error>.self)
        var logger = Logger(label: "lossbook-serve")
        logger.logLevel = .critical
        var log: (@Sendable (String) -> Void)?
        if logRequests { log = { events(.request($0)) } }
        let responder = SiteResponder(files: StaticFiles(root: options.outputDirectory.standardizedFileURL, probe: streamProbe),
                                      reload: reload, log: log)
        let configuration = ApplicationConfiguration(address: .hostname(address.host, port: Int(address.port)), serverName: nil)
        let running: @Sendable (any Channel) async -> Void = { channel in
            starting.yield(.success(channel.localAddress?.port ?? 0))
        }
        let app = Application(responder: responder, server: HTTPServerBuilder.guardedHTTP1(limits: limits),
                              configuration: configuration, onServerRunning: running, logger: logger)
        let url = address.url(port: Int(address.port))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await app.run()
                    starting.yield(.failure(CancellationError()))
                } catch {
                    starting.yield(.failure(Self.listenFailure(error, url: url)))
                    throw error
                }
            }
            var first: Result<Int, any Error>?
            for await result in started { first = result; break }
            guard case let .success(port) = first else {
                group.cancelAll()
                if case let .failure(error) = first { throw error }
                return
            }
            events(.serving(url: address.url(port: port)))
            group.addTask {
                await withTaskGroup(of: Void.self) { beats in
                    beats.addTask { await work(port) }
                    beats.addTask {
                        while !Task.isCancelled {
                            try? await Task.sleep(nanoseconds: UInt64(heartbeat * 1e9))
                            await reload.beat()
                        }
                    }
                    await beats.next()
                    beats.cancelAll()
                }
            }
            defer { group.cancelAll() }
            try await group.next()
            await reload.finish()
        }
    }

    /// The first build, then a rebuild whenever the watched files change (one at a time: a save
    /// during a build is seen by the next look). With ``ChangeNotices`` the watcher looks when
    /// news of a change arrives (and every ``ChangeNotices/safetyInterval``), waiting for news a
    /// quarter of a second at most at a time, so that a cancelled watch ends soon whatever the
    /// interval; without, it looks every `interval`. News that names the files it is about
    /// (``ChangeNotices/takeNamed()``) is looked at in those files alone; the look at every file
    /// still comes every ``ChangeNotices/safetyInterval``.
    func watch(reload: LiveReload, events: @Sendable (Event) -> Void) async {
        let notices = ChangeNotices()
        var last = SourceFingerprint(watched)
        var lookAgain = notices?.watch(last.folders) ?? true
        var lastLook = DispatchTime.now()
        await rebuild(changed: [], reload: reload, events: events)
        while !Task.isCancelled {
            var news = true
            var named: Set<String>?
            if let notices, !notices.incomplete {
                news = await notices.wait(min(interval.seconds, 0.25))
                named = notices.takeNamed()
            } else {
                try? await Task.sleep(nanoseconds: interval.nanoseconds)
            }
            let waited = Double(DispatchTime.now().uptimeNanoseconds - lastLook.uptimeNanoseconds) / 1e9
            guard news || lookAgain || waited >= ChangeNotices.safetyInterval else { continue }
            let now: SourceFingerprint, changed: [String]
            if news, !lookAgain, waited < ChangeNotices.safetyInterval, let named, let updated = last.updating(named) {
                now = updated
                changed = named.filter { updated.files[$0] != last.files[$0] }.sorted()
                namedLooks?.add()
            } else {
                now = SourceFingerprint(watched)
                changed = now == last ? [] : now.changes(since: last)
                lastLook = DispatchTime.now()
                looks?.add()
                // A folder watched for the first time may have changed before its watch: look once more.
                lookAgain = notices?.watch(now.folders) ?? true
            }
            guard !changed.isEmpty else { continue }
            last = now
            await rebuild(changed: changed, reload: reload, events: events)
        }
    }

    func rebuild(changed: [String], reload: LiveReload, events: @Sendable (Event) -> Void) async {
        let start = DispatchTime.now()
        func summary() -> Rebuild {
            Rebuild(changed: changed, seconds: Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9, finished: Date())
        }
        do {
            let report = try await build(options)
            await reload.built()
            events(.built(report, summary()))
        } catch {
            await reload.failed(Rebuild.lines(of: error))
            events(.failed(error, summary()))
        }
    }

    static func listenFailure(_ error: any Error, url: String) -> DevServerError {
        DevServerError.cannotListen(url: url, errno: (error as? IOError)?.errnoCode, description: "\(error)")
    }
}
