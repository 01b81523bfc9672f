import ArgumentParser
import Foundation
import Site

/// `lossbook init [DIR]`: a minimal bilingual site that builds with the built-in theme.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Write a minimal site that builds at once (built-in theme).")

    @Argument(help: "The folder to create the site in.")
    var directory = "."
    @Option(help: "The site's languages, the first the source of the others' translations.")
    var languages = "zh,en"

    func run() throws {
        let codes = languages.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        do {
            let files = try SiteScaffold.create(in: URL(fileURLWithPath: directory), languages: codes)
            for file in files { print("created \(directory == "." ? file : "\(directory)/\(file)")") }
            print("now: \(directory == "." ? "" : "cd \(directory) && ")lossbook build  (or lossbook serve)")
        } catch {
            throw fail(error)
        }
    }
}

/// `lossbook new PATH.md`: the page in every language, with front matter.
struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "new", abstract: "Create a page in every language (content/<lang>/PATH.md).")

    @Argument(help: "The page's path inside a language folder, e.g. losses/dice.md.")
    var path: String
    @Option(help: "The notes folder.")
    var content = "content"

    func run() throws {
        do {
            for file in try NewPage.create(path, contentDirectory: URL(fileURLWithPath: content)) { print("created \(file)") }
        } catch {
            throw fail(error)
        }
    }
}
