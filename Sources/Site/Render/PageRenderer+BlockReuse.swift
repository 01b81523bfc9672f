import Foundation
import Markdown

extension PageRenderer {
    /// The executed blocks of one page whose HTML was made once and is placed again wherever the
    /// page repeats the block (a big note repeats its tables and formula blocks hundreds of
    /// times; making a table's HTML escapes and joins every cell again). One per page, used by
    /// one task.
    ///
    /// What a made block's HTML depends on besides its output, and how a placement gives it:
    /// - its placeholders (``Draft/token(_:)``), numbered in the page's order: renumbered, and the
    ///   items they stand for copied, located at the new block's fence (every formula of an
    ///   executed block is reported at its fence);
    /// - the `ref:` links it rewrote: rewritten again at the new fence, so that the page's
    ///   mentions, anchor checks and broken-link errors are those of a block made in place (the
    ///   new URL itself depends on the link, not on where it stands: a page resolves each once);
    /// - a figure's element ids, which carry its fence line: figures are made in place.
    final class MadeBlocks {
        fileprivate var made: [BlockText: MadeBlock] = [:]
        /// How many blocks were placed again rather than made (the tests read it).
        fileprivate(set) var placed = 0
    }

    /// One executed block's HTML as first made.
    fileprivate struct MadeBlock {
        var output: BlockOutput
        var html: String
        /// The placeholders in `html` are `first..<first + pending.count`, standing for `pending`.
        var first: Int
        var pending: [Draft.Pending]
        var links: [LinkReference]
        var fence: SourceLocation
    }

    /// The HTML of an executed block's result: made (``html(_:block:draft:labels:rewrite:)``), or
    /// placed again when the page met the same block with the same output before.
    func executedHTML(_ output: BlockOutput, block: CodeBlock, draft: inout Draft, labels: InlineLabels, made: MadeBlocks,
                      rewrite: (LinkReference, inout Draft) -> String?) -> String {
        if case .figure = output { return html(output, block: block, draft: &draft, labels: labels, rewrite: rewrite) }
        let key = BlockText(info: block.info, code: block.code)
        if let known = made.made[key], known.output == output {
            made.placed += 1
            return place(known, at: block, draft: &draft, rewrite: rewrite)
        }
        let first = draft.pending.count
        var links: [LinkReference] = []
        let html = html(output, block: block, draft: &draft, labels: labels) { link, draft in
            links.append(link)
            return rewrite(link, &draft)
        }
        made.made[key] = MadeBlock(output: output, html: html, first: first, pending: Array(draft.pending[first...]),
                                   links: links, fence: block.location)
        return html
    }

    /// A made block's HTML at `block`, with placeholders and links of its own.
    private func place(_ known: MadeBlock, at block: CodeBlock, draft: inout Draft,
                       rewrite: (LinkReference, inout Draft) -> String?) -> String {
        let base = draft.pending.count
        let lines = block.location.line - known.fence.line, columns = block.location.column - known.fence.column
        for item in known.pending {
            guard case .math(let display, var span) = item else {
                draft.pending.append(item)
                continue
            }
            span.line += lines
            span.column += columns
            draft.pending.append(.math(display: display, span: span))
        }
        for var link in known.links {
            link.location.line += lines
            link.location.column += columns
            _ = rewrite(link, &draft)
        }
        let mine = known.first..<(known.first + known.pending.count)
        // A token not among the block's own (a private-use character in the author's text) stays as it was.
        return replacePlaceholders(in: known.html) { mine.contains($0) ? Draft.token($0 - known.first + base) : Draft.token($0) }
    }
}
