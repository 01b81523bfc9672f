import Foundation
import Losses
import Yams

extension DirectiveExpander {
    // MARK: - loss-formula, loss-code

    func formula(_ spec: DirectiveSpec) throws -> Expansion {
        let id = try spec.lossID()
        let descriptor = try Catalog.descriptor(for: id)
        let formulas = try spec.bool("all", default: false) ? descriptor.formulas : Array(descriptor.formulas.prefix(1))
        return Expansion(output: .formulas(formulas), mentions: [id], fixes: [])
    }

    func code(_ spec: DirectiveSpec) throws -> Expansion {
        let id = try spec.lossID()
        let excerpt: (path: String, firstLine: Int, lastLine: Int, code: String)
        do {
            excerpt = try sources.excerpt(id: id)
        } catch let error as ProbeError {
            throw spec.error(error.message, hint: "build from the repository root, where Sources/Losses is")
        }
        let caption = "<code>\(escapeHTML(excerpt.path))</code>, \(text("lines")) \(excerpt.firstLine)–\(excerpt.lastLine)"
        return Expansion(output: .code(SourceExcerpt(caption: caption, code: excerpt.code)), mentions: [id], fixes: [])
    }
}
