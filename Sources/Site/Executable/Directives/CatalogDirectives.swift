import Foundation
import LossFormulas
import Losses
import Yams

extension DirectiveExpander {
    // MARK: - loss-formula, loss-code

    func formula(_ spec: DirectiveSpec) throws -> Expansion {
        let id = try spec.lossID()
        let descriptor = try Catalog.descriptor(for: id)
        let formulas = try spec.bool("all", default: false) ? descriptor.formulas : Array(descriptor.formulas.prefix(1))
        // A bound formula is checked once per build (`CatalogFormulaChecks`), which fails the build
        // if it disagrees: so a page that builds may say it was checked.
        let bound = Set((CatalogBindings.all + CatalogBindings.formulaGradients.map(\.value)).filter { $0.loss == id }.flatMap(\.formulas))
        let marks = formulas.indices.map { bound.contains($0) ? formulaMark(loss: id, probes: nil) : nil }
        return Expansion(output: .formulas(formulas, marks: marks), mentions: [id], fixes: [])
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
