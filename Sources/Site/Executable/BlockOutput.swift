/// What an executable block computed, as typed values the render stage turns into HTML directly:
/// never markdown to be parsed again.
///
/// Cached on disk between builds (`ExecutionCache`), so it is `Codable`; nothing in it depends on
/// where the block stands in its page (plot ids get the fence line at render time).
enum BlockOutput: Sendable, Codable, Equatable {
    /// `loss-table`, `loss-grad`.
    case table(ResultTable)
    /// `loss-formula`, `formula`: display formulas (LaTeX), each with its "checked against the
    /// code" mark (HTML) when it is bound to a loss and agrees with it (`marks` may be shorter).
    case formulas([String], marks: [String?] = [])
    /// `loss-code`: an excerpt of the library's source.
    case code(SourceExcerpt)
    /// `loss-plot`, `distance-map`: an SVG figure (HTML), its element ids prefixed with
    /// `BlockOutput.fenceLineToken`.
    case figure(String)

    /// Stands for the block's fence line in a figure's ids until the page renders it.
    static let fenceLineToken = "LOSSBOOKFENCELINE"
}

/// A computed table: header and rows of cells, a caption, and the verification mark.
struct ResultTable: Sendable, Codable, Equatable {
    var caption: String?
    var header: [Cell]
    var rows: [[Cell]]
    /// Numbers are right-aligned; a table of vectors is not.
    var rightAligned: Bool
    /// The "verified" line (HTML).
    var verified: String
}

/// One table cell.
enum Cell: Sendable, Codable, Equatable {
    /// Plain text (escaped when rendered).
    case text(String)
    /// An inline formula (LaTeX).
    case math(String)
    /// A loss's name linking to its reference page.
    case loss(name: String, id: String)
    /// A label the author wrote: inline markdown (emphasis, code, formulas).
    case markdown(String)
}

/// Lines of a loss's implementation, for `loss-code`.
struct SourceExcerpt: Sendable, Codable, Equatable {
    /// The file and lines it comes from (HTML).
    var caption: String
    var code: String
}
