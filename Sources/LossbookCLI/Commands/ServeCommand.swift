import ArgumentParser
import FlyingFox
import Foundation
import Site

/// `lossbook serve`: build, serve the site on the loopback interface, rebuild when a note or a
/// template changes. A failed rebuild prints its errors and keeps serving the last good site.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Build, serve on 127.0.0.1, rebuild on change.")

    @OptionGroup var folders: SiteFolders
    @Option(help: "The port on 127.0.0.1.")
    var port: UInt16 = 8000
    @Option(help: "Seconds between checks for changed files.")
    var interval: Double = 1

    func run() async throws {
        let options = folders.options(write: true)
        await rebuild(options)
        // IPv4 loopback: the address a reader types, and nothing outside this machine can reach it.
        let server = HTTPServer(address: try sockaddr_in.inet(ip4: "127.0.0.1", port: port))
        let root = URL(fileURLWithPath: folders.output).standardizedFileURL
        await server.appendRoute("GET *") { request in
            StaticFiles.response(for: request.path, root: root)
        }
        say("serving \(folders.output)/ at http://127.0.0.1:\(port)/ (Ctrl-C stops)")
        let watched = [folders.content, folders.templates]
        let interval = self.interval
        let watcher = Task {
            var last = Self.fingerprint(watched)
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
                let now = Self.fingerprint(watched)
                if now != last {
                    last = now
                    await rebuild(options)
                }
            }
        }
        defer { watcher.cancel() }
        try await server.run()
    }

    func rebuild(_ options: BuildOptions) async {
        do {
            let report = try await SiteBuilder.build(options)
            printWarnings(report)
            say("built \(report.pages) pages (\(report.executedBlocks) blocks executed)")
        } catch {
            _ = fail(error)
        }
    }

    /// A progress line, written at once (print buffers when standard output is a pipe).
    func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Paths, sizes and modification times of every file below the folders.
    static func fingerprint(_ folders: [String]) -> [String: String] {
        var result: [String: String] = [:]
        for folder in folders {
            guard let enumerator = FileManager.default.enumerator(atPath: folder) else { continue }
            for case let path as String in enumerator {
                let full = "\(folder)/\(path)"
                guard let attributes = try? FileManager.default.attributesOfItem(atPath: full) else { continue }
                result[full] = "\(attributes[.size] ?? 0)|\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
            }
        }
        return result
    }
}

/// Files of the built site over HTTP: `…/` serves `…/index.html`, a missing file the site's 404 page.
enum StaticFiles {
    static func response(for path: String, root: URL) -> HTTPResponse {
        let decoded = path.removingPercentEncoding ?? path
        let parts = decoded.split(separator: "/").map(String.init)
        guard !parts.contains("..") else { return HTTPResponse(statusCode: .forbidden) }
        var file = parts.reduce(root) { $0.appendingPathComponent($1) }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory), isDirectory.boolValue {
            file.appendPathComponent("index.html")
        }
        if let data = FileManager.default.contents(atPath: file.path) {
            return HTTPResponse(statusCode: .ok, headers: [.contentType: contentType(file.pathExtension)], body: data)
        }
        let notFound = FileManager.default.contents(atPath: root.appendingPathComponent("404.html").path) ?? Data("not found".utf8)
        return HTTPResponse(statusCode: .notFound, headers: [.contentType: "text/html; charset=utf-8"], body: notFound)
    }

    static func contentType(_ ext: String) -> String {
        switch ext.lowercased() {
        case "html": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "xml": return "application/xml"
        case "json": return "application/json"
        case "woff2": return "font/woff2"
        case "woff": return "font/woff"
        case "ttf": return "font/ttf"
        default: return "application/octet-stream"
        }
    }
}
