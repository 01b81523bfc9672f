import ArgumentParser
import Foundation
import Site

struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print the HTML fragment of one markdown document, through the site's pipeline.")

    @Argument(help: "A markdown file, or - for standard input.")
    var file = "-"
    @Flag(help: "No heading ids and no code decoration: without formulas, the output equals plain cmark-gfm's.")
    var plain = false
    @Option(help: "Content folder whose lossbook.yaml gives the KaTeX macros.")
    var content = "content"

    func run() async throws {
        let markdown: String
        let path = file == "-" ? "<stdin>" : file
        if file == "-" {
            markdown = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw fail(Diagnostic(file, stage: .render, "cannot read file"))
            }
            markdown = String(decoding: data, as: UTF8.self)
        }
        do {
            let macros = try Fragment.macros(contentDirectory: URL(fileURLWithPath: content))
            FileHandle.standardOutput.write(Data(try Fragment.render(markdown, path: path, plain: plain, macros: macros).utf8))
        } catch {
            throw fail(error)
        }
    }
}
