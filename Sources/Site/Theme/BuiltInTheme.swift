import Foundation

/// The default theme, the repository's `templates/` compiled into the binary by
/// `SourceFingerprintPlugin`: a site without a `templates/` folder (`lossbook init`) builds
/// with it, and a `templates/` folder replaces it file by file (a `page.mustache` of one's own,
/// the built-in `strings.yaml` and assets).
enum BuiltInTheme {
    /// The folder's name in the package, and the prefix of its files in `CompiledSources`.
    static let folder = "templates"
    /// How messages name a built-in file: `lossbook:templates/page.mustache`.
    static let displayRoot = "lossbook:templates"

    /// Path under `templates/` (`page.mustache`, `assets/style.css`) → text.
    static let files: [String: String] = {
        var files: [String: String] = [:]
        for (path, text) in CompiledSources.files where path.hasPrefix(folder + "/") {
            files[String(path.dropFirst(folder.count + 1))] = text
        }
        return files
    }()

    /// The files of `assets/`, keyed by their path in the site (`assets/style.css`).
    static var assets: [String: String] { files.filter { $0.key.hasPrefix("assets/") } }
}
