import ArgumentParser
import Foundation
import Site

/// Folders a build reads and writes.
struct SiteFolders: ParsableArguments {
    @Option(help: "The notes: <lang>/<path>.md and lossbook.yaml.")
    var content = FolderArguments.defaults.content
    @Option(help: "Mustache templates, strings.yaml and assets/.")
    var templates = FolderArguments.defaults.templates
    @Option(help: "Where the site is written (replaced whole, only on success).")
    var output = FolderArguments.defaults.output
    @Option(help: "Cache of rendered formulas and code (safe to delete).")
    var cacheDir = FolderArguments.defaults.cacheDir
    @Flag(help: "Render everything anew, without reading or writing the cache.")
    var noCache = false
    @Option(help: "The loss library's sources, excerpted by loss-code blocks.")
    var sources = FolderArguments.defaults.sources
    @Option(help: "The reference implementation's sources (part of the execution cache's key).")
    var referenceSources = FolderArguments.defaults.referenceSources
    @Option(help: "The address the site is published at, for sitemap.xml (replaces lossbook.yaml's base_url).")
    var baseURL: String?

    /// The folders as plain values.
    var arguments: FolderArguments {
        FolderArguments(content: content, templates: templates, output: output, cacheDir: cacheDir, noCache: noCache,
                        sources: sources, referenceSources: referenceSources, baseURL: baseURL)
    }

    func validate() throws { try arguments.validate() }

    func options(write: Bool) -> BuildOptions { arguments.options(write: write) }
}

/// ``SiteFolders`` as plain values: what a build is given, whether ArgumentParser read its command
/// line or ``QuickArguments`` did.
struct FolderArguments: Equatable {
    var content = "content"
    var templates = "templates"
    var output = "site"
    var cacheDir = ".cache/lossbook"
    var noCache = false
    var sources = "Sources/Losses"
    var referenceSources = "Sources/LossReference"
    var baseURL: String?

    /// Each folder where no option names another.
    static let defaults = FolderArguments()

    func validate() throws {
        if let baseURL, !SiteConfig.isWebAddress(baseURL) {
            throw ValidationError("--base-url must be an absolute http or https address (such as https://example.org/notes/), not '\(baseURL)'")
        }
        // Missing at their default places, these folders are the binary's own (the built-in theme,
        // the compiled-in sources); a folder named on the command line that is not there is a
        // mistake (a misspelling built silently with the built-in theme).
        let named = [("--templates", templates, Self.defaults.templates, "the built-in theme"),
                     ("--sources", sources, Self.defaults.sources, "the sources compiled into lossbook"),
                     ("--reference-sources", referenceSources, Self.defaults.referenceSources, "the sources compiled into lossbook")]
        for (flag, path, fallback, builtIn) in named where path != fallback {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("\(flag) '\(path)' is not a folder (leave \(flag) out to use \(builtIn))")
            }
        }
    }

    func options(write: Bool) -> BuildOptions {
        var options = BuildOptions(contentDirectory: URL(fileURLWithPath: content),
                                   templatesDirectory: URL(fileURLWithPath: templates),
                                   outputDirectory: URL(fileURLWithPath: output),
                                   cacheDirectory: noCache ? nil : URL(fileURLWithPath: cacheDir))
        options.write = write
        options.lossSources = URL(fileURLWithPath: sources)
        options.referenceSources = URL(fileURLWithPath: referenceSources)
        options.baseURL = baseURL
        // Pages whose inputs are unchanged since the last build are taken from the cache folder.
        options.keepsPages = true
        return options
    }
}

struct BuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "build", abstract: "Build the site into site/.")

    @OptionGroup var folders: SiteFolders
    @OptionGroup var diagnostics: DiagnosticOptions
    @Flag(name: .shortAndLong, help: "Print the time of each stage.")
    var verbose = false
    @Flag(help: "Rewrite the expected values of executable blocks that differ from the computed ones, then build.")
    var fix = false
    @Flag(help: "Build pages whose front matter says 'draft: true' too, each under a banner.")
    var drafts = false

    /// The command line as plain values.
    var arguments: BuildArguments {
        BuildArguments(folders: folders.arguments, format: diagnostics.format, quiet: diagnostics.quiet, strict: diagnostics.strict,
                       verbose: verbose, fix: fix, drafts: drafts)
    }

    func run() async throws { try await arguments.run() }
}

/// `build`'s command line as plain values (``BuildCommand/arguments``, or ``QuickArguments``), and
/// the build it asks for.
struct BuildArguments: Equatable {
    var folders = FolderArguments()
    var format = DiagnosticOptions.Format.text
    var quiet = false
    var strict = false
    var verbose = false
    var fix = false
    var drafts = false

    func run() async throws {
        let report: BuildReport
        var output = DiagnosticOutput(format: format, quiet: quiet)
        output.verbose = verbose
        do {
            var options = folders.options(write: true)
            options.strict = strict
            options.warningFieldsShown = output.json || output.colour
            options.drafts = drafts
            options.endsProcess = true
            if fix {
                report = try await DoctestFixRun(options: options).run { lines in
                    for line in lines { print("fixed \(line)") }
                }
            } else {
                report = try await SiteBuilder.build(options)
            }
        } catch {
            throw output.failure(error)
        }
        output.warnings(report)
        output.summary("built \(report.pages) pages, \(report.assets) files, \(report.formulas) formulas, \(report.executedBlocks) executed blocks into \(folders.output)/"
              + (report.upToDate ? " (unchanged since the last build: nothing to do)"
                 : report.helperProcesses == 0 ? " (formulas and code from cache)" : ""))
        if verbose { printTimings(report) }
    }
}

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Do everything build does, except writing.")

    @OptionGroup var folders: SiteFolders
    @OptionGroup var diagnostics: DiagnosticOptions
    @Flag(name: .shortAndLong, help: "Print the time of each stage.")
    var verbose = false
    @Flag(help: "List the displayed formulas (catalog and notes): bound and checked against the code, failing, or unbound.")
    var formulas = false

    func run() async throws {
        if formulas {
            let inventory: FormulaInventory
            do {
                inventory = try await SiteBuilder.formulaInventory(folders.options(write: false))
            } catch {
                throw fail(error)
            }
            for line in inventory.lines { print(line) }
            guard inventory.diagnostics.isEmpty else { throw fail(BuildFailure(inventory.diagnostics)) }
            return
        }
        let report: BuildReport
        var output = diagnostics.output
        output.verbose = verbose
        do {
            var options = folders.options(write: false)
            options.strict = diagnostics.strict
            report = try await SiteBuilder.build(options)
        } catch {
            throw output.failure(error)
        }
        output.warnings(report)
        output.summary("checked \(report.pages) pages, \(report.formulas) formulas: no errors")
        if verbose { printTimings(report) }
    }
}

func printTimings(_ report: BuildReport) {
    for line in timingLines(report) { print(line) }
}

/// The versions preflight found, each stage's wall and CPU time (all threads), the helper
/// processes started, then how much of the site was done again: what `--verbose` prints after a build.
func timingLines(_ report: BuildReport) -> [String] {
    let tools = report.tools.map { ["  tools: Node.js \($0.node), KaTeX \($0.katex), highlight.js \($0.highlight)"] } ?? []
    let redone = report.upToDate ? [] : ["  notes read: \(report.notesRead), pages parsed: \(report.parses), pages left in place: \(report.keptPages)"]
    return tools + report.timings.map { stage, seconds, cpu in
        "  " + stage.padding(toLength: 18, withPad: " ", startingAt: 0) + String(format: "%8.1f ms %8.1f ms CPU", seconds * 1000, cpu * 1000)
    } + ["  helper processes: \(report.helperProcesses)"] + redone
}
