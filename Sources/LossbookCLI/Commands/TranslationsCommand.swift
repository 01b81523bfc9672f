import ArgumentParser
import Foundation
import Site

struct TranslationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "translations",
        abstract: "Show which translations are current, stale, unstamped or missing; record a translation's source.")

    @Option(help: "The notes folder.")
    var content = "content"
    @Option(help: "Record the current source of this translation in its front matter (source_hash). Repeatable.")
    var stamp: [String] = []

    func run() throws {
        do {
            for path in stamp {
                let hash = try TranslationStatus.stamp(path, contentDirectory: URL(fileURLWithPath: content))
                print("\(path): source_hash: \(hash)")
            }
            guard stamp.isEmpty else { return }
            let status = try TranslationStatus.load(contentDirectory: URL(fileURLWithPath: content))
            for entry in status.entries {
                let state: String
                switch entry.state {
                case .current: state = "current"
                case .stale: state = "STALE"
                case .unstamped: state = "unstamped"
                case .missing: state = "MISSING"
                }
                print("\(state.padding(toLength: 10, withPad: " ", startingAt: 0)) \(entry.language)  \(entry.path)")
            }
        } catch {
            throw fail(error)
        }
    }
}
