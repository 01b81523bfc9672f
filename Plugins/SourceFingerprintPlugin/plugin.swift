import Foundation
import PackagePlugin

/// Compiles into `Site` the sources of the code that computes and checks the site's numbers —
/// `Sources/Losses` with its C kernel `Sources/CLossKernels`, `Sources/LossReference`,
/// `Sources/Site/Executable` and the formula checker (`Sources/FormulaCheck`, `Sources/LossFormulas`)
/// — and the peer libraries' golden values, with their fingerprints, so that every verified mark and
/// execution-cache key names the code this binary was actually built from (not whatever is in the
/// working folder), and a site outside this repository gets loss-code excerpts without the sources.
/// The default theme (`templates/`) is compiled in too, for a site without a `templates/` folder
/// (`BuiltInTheme`), and so is the catalog prose, for a site without `content/<lang>/reference/`
/// (`CatalogProse`).
@main
struct SourceFingerprintPlugin: BuildToolPlugin {
    /// The folders of the code that computes and checks the site's numbers, relative to the
    /// package, with the file kind, and the peer libraries' values that witness it. The one list
    /// of them: it is compiled into `CompiledSources.provenance`, from which every build checks
    /// that the working folder's copies are those compiled in, and `serve` watches them.
    static let provenance = [("Sources/Losses", "swift"), ("Sources/Site/Executable", "swift"),
                             ("Sources/FormulaCheck", "swift"), ("Sources/LossFormulas", "swift"),
                             ("Sources/CLossKernels", "c"), ("Sources/CLossKernels", "h"),
                             ("Tests/LossesTests/Fixtures/golden", "json"), ("Sources/LossReference", "swift")]
    /// The default theme's files.
    static let theme = [("templates", "mustache"), ("templates", "yaml"), ("templates", "css"), ("templates", "js"), ("templates", "svg")]
    /// The catalog prose (`content/<lang>/reference/*.md`), compiled in for a site that has none (`CatalogProse`).
    static let proseFolder = ("content", "reference", "md")

    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let package = context.package.directoryURL
        var inputs: [URL] = []
        for (folder, kind) in Self.provenance + Self.theme {
            let root = package.appending(path: folder)
            guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in enumerator where url.pathExtension == kind { inputs.append(url) }
        }
        let content = package.appending(path: Self.proseFolder.0)
        for language in (try? FileManager.default.contentsOfDirectory(atPath: content.path)) ?? [] {
            let folder = content.appending(path: language).appending(path: Self.proseFolder.1)
            for file in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where file.hasSuffix("." + Self.proseFolder.2) {
                inputs.append(folder.appending(path: file))
            }
        }
        inputs.sort { $0.path < $1.path }
        let output = context.pluginWorkDirectoryURL.appending(path: "CompiledSources.swift")
        return [.buildCommand(displayName: "Compiling in the loss library's sources and the default theme (\(inputs.count) files)",
                              executable: try context.tool(named: "source-fingerprint").url,
                              arguments: [output.path, package.path, Self.provenance.map { "\($0.0):\($0.1)" }.joined(separator: ",")]
                                  + inputs.map(\.path),
                              inputFiles: inputs, outputFiles: [output])]
    }
}
