import Foundation
import Markdown

extension PageRenderer {
    /// The labels of one page's executed tables (captions, case and column names, the property
    /// cells of `loss-properties`), each parsed once: a label is inline markdown, two cmark-gfm
    /// parses, and a page repeats labels (a `loss-properties` table shows a few texts in hundreds
    /// of cells; a big note repeats whole tables). One per page, used by one task.
    final class InlineLabels {
        /// A label's HTML with its formulas as the parse's tokens (`\u{E000}N\u{E001}`, in
        /// document order) and their TeX; nil for a label cmark-gfm does not take (shown escaped).
        fileprivate var parsed: [String: (html: String, formulas: [String])?] = [:]
    }

    /// An author's label (a table row's case name): inline markdown, formulas included, each
    /// formula a placeholder of `draft` located at the block's fence, in document order.
    func inlineMarkdown(_ text: String, block: CodeBlock, draft: inout Draft, labels: InlineLabels) -> String {
        let parsed: (html: String, formulas: [String])?
        if let known = labels.parsed[text] {
            parsed = known
        } else {
            parsed = Self.parseLabel(text, lineOffset: block.location.line)
            labels.parsed.updateValue(parsed, forKey: text)
        }
        guard let parsed else { return escapeHTML(text) }
        return replacePlaceholders(in: parsed.html, open: 0x80, close: 0x81) { index in
            guard index < parsed.formulas.count else { return ProtectedSource.token(index) }
            let tex = parsed.formulas[index]
            return draft.math(tex, display: false, at: MathSpan(kind: .inline, tex: tex, line: block.location.line, column: block.location.column))
        }
    }

    /// The label's paragraph without its `<p>…</p>`, its formulas left as tokens: an inline
    /// formula's replacement never stands for a whole paragraph, so filling them in later gives
    /// what filling them in during the render would.
    private static func parseLabel(_ text: String, lineOffset: Int) -> (html: String, formulas: [String])? {
        guard let document = try? MarkdownDocument(text, lineOffset: lineOffset) else { return nil }
        let html = MarkdownDocument.unwrappingParagraph(document.html { ProtectedSource.token($0) })
        return (html, document.math.map(\.tex))
    }
}
