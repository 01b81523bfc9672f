import ArgumentParser
import Foundation
import Site

/// Folders a build reads and writes.
struct SiteFolders: ParsableArguments {
    @Option(help: "The notes: <lang>/<path>.md and lossbook.yaml.")
    var content = "content"
    @Option(help: "Mustache templates, strings.yaml and assets/.")
    var templates = "templates"
    @Option(help: "Where the site is written (replaced whole, only on success).")
    var output = "site"
    @Option(help: "Cache of rendered formulas and code (safe to delete).")
    var cacheDir = ".cache/lossbook"
    @Flag(help: "Render everything anew, without reading or writing the cache.")
    var noCache = false

    func options(write: Bool) -> BuildOptions {
        var options = BuildOptions(contentDirectory: URL(fileURLWithPath: content),
                                   templatesDirectory: URL(fileURLWithPath: templates),
                                   outputDirectory: URL(fileURLWithPath: output),
                                   cacheDirectory: noCache ? nil : URL(fileURLWithPath: cacheDir))
        options.write = write
        return options
    }
}

struct BuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "build", abstract: "Build the site into site/.")

    @OptionGroup var folders: SiteFolders
    @Flag(name: .shortAndLong, help: "Print the time of each stage.")
    var verbose = false

    func run() async throws {
        let report: BuildReport
        do {
            report = try await SiteBuilder.build(folders.options(write: true))
        } catch {
            throw fail(error)
        }
        print("built \(report.pages) pages, \(report.assets) files, \(report.formulas) formulas into \(folders.output)/"
              + (report.helperProcesses == 0 ? " (formulas and code from cache)" : ""))
        if verbose { printTimings(report) }
    }
}

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Do everything build does, except writing.")

    @OptionGroup var folders: SiteFolders
    @Flag(name: .shortAndLong, help: "Print the time of each stage.")
    var verbose = false

    func run() async throws {
        let report: BuildReport
        do {
            report = try await SiteBuilder.build(folders.options(write: false))
        } catch {
            throw fail(error)
        }
        print("checked \(report.pages) pages, \(report.formulas) formulas: no errors")
        if verbose { printTimings(report) }
    }
}

func printTimings(_ report: BuildReport) {
    for (stage, seconds) in report.timings {
        print(String(format: "  %-16@ %8.1f ms", stage as NSString, seconds * 1000))
    }
    print("  helper processes: \(report.helperProcesses)")
}
