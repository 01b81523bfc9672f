import ArgumentParser
import DevServer
import Foundation
import Site

/// `lossbook serve`: listen, build, serve the site, rebuild when a note, a template or the loss
/// library changes, and reload open pages (or show the failed build's errors over them).
/// The serving and watching are `DevServer`'s; this command parses and prints.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Build, serve on 127.0.0.1, rebuild on change and reload open pages.")

    @OptionGroup var folders: SiteFolders
    @Option(help: "The address to listen on: an IP address or localhost. Anything but loopback lets other machines read the site.")
    var host = "127.0.0.1"
    @Option(parsing: .unconditional, help: "The port (0: any free port).")
    var port: UInt16 = 8000
    // Unconditional: `--interval -1` is the value -1 (refused with its reason), not a missing value.
    @Option(parsing: .unconditional, help: "The longest wait, in seconds, between two looks for changed files (at least 0.01, at most a day); on Linux the watcher also looks as soon as inotify reports a change.")
    var interval: Double = WatchInterval.standard
    @Flag(help: "Open the site in a browser (xdg-open) once it is served.")
    var open = false
    @Flag(help: "Build draft pages too.")
    var drafts = false
    @Flag(name: .shortAndLong, help: "Log every request, and the time of each stage of every rebuild.")
    var verbose = false

    func validate() throws {
        do {
            _ = try WatchInterval(seconds: interval)
            _ = try ServeAddress(host: host, port: port)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let address = try ServeAddress(host: host, port: port)
        if !address.isLoopback {
            say("warning: --host \(host) is not a loopback address: other machines that reach this one can read the site (drafts included) while it is served")
        }
        var options = folders.options(write: true)
        options.drafts = drafts
        // Every rebuild would be refused: say so once and stop, before listening.
        do { try options.checkOutputFolder(); try options.checkCacheFolder() } catch { throw fail(error) }
        let watched = [folders.content, folders.templates] + options.sourceFolders
        var server = DevServer(options: options, address: address, interval: try WatchInterval(seconds: interval),
                               watched: watched.filter { FileManager.default.fileExists(atPath: $0) })
        server.logRequests = verbose
        let output = folders.output, open = self.open
        do {
            try await server.run { event in
                switch event {
                case let .serving(url):
                    say("serving \(output)/ at \(url) (Ctrl-C stops)")
                    if open { openBrowser(url) }
                case let .built(report, rebuild):
                    // As `build` prints them, in 64 KB writes: one write a warning (24,000 at 2,000 pages
                    // per language) was a sixth of a rebuild's CPU.
                    DiagnosticOutput().warnings(report)
                    // After the first build, the pages rendered anew (the session reused the rest).
                    say(rebuild.line(pages: rebuild.changed.isEmpty ? report.pages : report.pages - report.reusedPages))
                    if verbose { timingLines(report).forEach(say) }
                case let .failed(error, rebuild):
                    say(rebuild.failureLine(errors: Rebuild.lines(of: error).count))
                    var stderr = StandardError()
                    for line in Rebuild.lines(of: error) { print(line, to: &stderr) }
                case let .request(line):
                    say(line)
                }
            }
        } catch let error as DevServerError {
            if let line = error.positioned {
                var stderr = StandardError()
                print(line, to: &stderr)
                throw ExitCode(1)
            }
            throw fail(error)
        }
    }
}

/// `xdg-open URL` when there is one on the `PATH`; else the URL to open by hand.
private func openBrowser(_ url: String) {
    guard let opener = executable(named: "xdg-open") else {
        say("open \(url) in a browser (no xdg-open found)")
        return
    }
    let process = Process()
    process.executableURL = opener
    process.arguments = [url]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    do {
        try process.run()
    } catch {
        say("open \(url) in a browser (xdg-open failed: \(error))")
    }
}

/// A progress line, written at once (print buffers when standard output is a pipe).
private func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
