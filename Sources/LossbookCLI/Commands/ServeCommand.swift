import ArgumentParser
import DevServer
import Foundation
import Site

/// `lossbook serve`: build, serve the site on the loopback interface, rebuild when a note or a
/// template changes. A failed rebuild prints its errors and keeps serving the last good site.
/// The serving and watching are `DevServer`'s; this command parses and prints.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Build, serve on 127.0.0.1, rebuild on change.")

    @OptionGroup var folders: SiteFolders
    @Option(help: "The port on 127.0.0.1.")
    var port: UInt16 = 8000
    @Option(help: "Seconds between checks for changed files (positive, at most a day).")
    var interval: Double = 1

    func validate() throws {
        do {
            _ = try WatchInterval(seconds: interval)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let server = DevServer(options: folders.options(write: true), port: port, interval: try WatchInterval(seconds: interval),
                               watched: [folders.content, folders.templates])
        let output = folders.output
        try await server.run { event in
            switch event {
            case let .built(report):
                printWarnings(report)
                say("built \(report.pages) pages (\(report.executedBlocks) blocks executed)")
            case let .failed(error):
                _ = fail(error)
            case let .serving(url):
                say("serving \(output)/ at \(url) (Ctrl-C stops)")
            }
        }
    }
}

/// A progress line, written at once (print buffers when standard output is a pipe).
private func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
