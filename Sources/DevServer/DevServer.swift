import FlyingFox
import Foundation
import Site

/// `lossbook serve`'s work: build the site, serve it on the loopback interface, and rebuild when
/// a watched file changes. A failed rebuild is reported and the last good site stays served
/// (`SiteBuilder` replaces the output folder only on success).
public struct DevServer: Sendable {
    /// What happened, for the caller to print.
    public enum Event: Sendable {
        case built(BuildReport)
        case failed(any Error)
        case serving(url: String)
    }

    public var options: BuildOptions
    /// IPv4 loopback only: the address a reader types, and nothing outside this machine can reach it.
    public var port: UInt16
    public var interval: WatchInterval
    /// Folders whose changes trigger a rebuild (the notes and the templates).
    public var watched: [String]

    public init(options: BuildOptions, port: UInt16, interval: WatchInterval, watched: [String]) {
        self.options = options
        self.port = port
        self.interval = interval
        self.watched = watched
    }

    /// Builds, then serves until cancelled or the server fails.
    public func run(events: @escaping @Sendable (Event) -> Void) async throws {
        await rebuild(events)
        let server = HTTPServer(address: try sockaddr_in.inet(ip4: "127.0.0.1", port: port))
        let root = options.outputDirectory.standardizedFileURL
        await server.appendRoute("GET *") { request in
            StaticFiles.response(for: request.path, root: root)
        }
        events(.serving(url: "http://127.0.0.1:\(port)/"))
        let watcher = Task { await watch(events) }
        defer { watcher.cancel() }
        try await server.run()
    }

    /// Looks at the watched folders every `interval` and rebuilds when they changed.
    func watch(_ events: @escaping @Sendable (Event) -> Void) async {
        var last = SourceFingerprint(watched)
        while !Task.isCancelled {
            try? await Task.sleep(nanoseconds: interval.nanoseconds)
            let now = SourceFingerprint(watched)
            if now != last {
                last = now
                await rebuild(events)
            }
        }
    }

    func rebuild(_ events: @Sendable (Event) -> Void) async {
        do {
            events(.built(try await SiteBuilder.build(options)))
        } catch {
            events(.failed(error))
        }
    }
}
