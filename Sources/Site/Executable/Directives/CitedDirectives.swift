import Foundation
import Losses
import Yams

extension DirectiveExpander {
    // MARK: - cited-table, cited-plot

    /// The data set named by the block's argument (`cited-table loss-odyssey`).
    private func dataset(_ spec: DirectiveSpec) throws -> CitedDataset {
        let known = context.citedData.keys.sorted()
        guard let id = spec.argument else {
            throw spec.error("\(spec.kind.rawValue) needs a data set", hint: "write ```\(spec.kind.rawValue) \(known.first ?? "loss-odyssey") (a file of content/data/)")
        }
        guard let data = context.citedData[id] else {
            throw spec.error("unknown data set '\(id)'",
                             hint: Catalog.closest(to: id, in: known).map { "did you mean '\($0)'?" }
                                 ?? "a data set is a file content/data/\(id).yaml")
        }
        return data
    }

    /// A list of words (`columns: [liver, multi-organ]`) or one word.
    private func words(_ spec: DirectiveSpec, _ key: String) throws -> [(String, Node)]? {
        guard let node = spec.node(key) else { return nil }
        if let sequence = node.sequence {
            return try sequence.map { item in
                guard case let .scalar(scalar) = item else { throw spec.error("'\(key)' must be a list of names", at: item) }
                return (scalar.string, item)
            }
        }
        guard case let .scalar(scalar) = node else { throw spec.error("'\(key)' must be a name or a list of names", at: node) }
        return [(scalar.string, node)]
    }

    private func select(_ spec: DirectiveSpec, _ key: String, from known: [String]) throws -> [String]? {
        guard let chosen = try words(spec, key) else { return nil }
        for (word, node) in chosen where !known.contains(word) {
            throw spec.error("unknown \(key == "metrics" ? "metric" : key.hasSuffix("s") ? String(key.dropLast()) : key) '\(word)'", at: node,
                             hint: Catalog.closest(to: word, in: known).map { "did you mean '\($0)'?" } ?? "one of " + known.joined(separator: ", "))
        }
        return chosen.map(\.0)
    }

    private func selectedRows(_ spec: DirectiveSpec, _ data: CitedDataset) throws -> [CitedDataset.Row] {
        guard let chosen = try words(spec, "rows") else { return data.rows }
        return try chosen.map { word, node in
            guard let row = data.row(word) else {
                let known = data.rows.map { $0.loss ?? $0.label }
                throw spec.error("no row '\(word)' in \(data.path)", at: node,
                                 hint: Catalog.closest(to: word, in: known).map { "did you mean '\($0)'?" } ?? "rows: " + known.joined(separator: ", "))
            }
            return row
        }
    }

    private func rowCell(_ row: CitedDataset.Row) throws -> Cell {
        guard let id = row.loss else { return .text(row.label) }
        let name = try self.name(id)
        // The source's own label stays visible: the reader can find the row in the source.
        return .loss(name: name.lowercased().contains(row.label.lowercased()) ? name : "\(name) (\(row.label))", id: id)
    }

    func citedTable(_ spec: DirectiveSpec) throws -> Expansion {
        let data = try dataset(spec)
        let columns = try select(spec, "columns", from: data.columns.map(\.id))
        let metricNode = spec.has("metric") ? "metric" : "metrics"
        let metrics = try select(spec, metricNode, from: data.metrics.map(\.id))
        let fields = data.fields.enumerated().filter { _, field in
            (columns?.contains(field.column) ?? true) && (metrics?.contains(field.metric) ?? true)
        }
        let rows = try selectedRows(spec, data)
        func label(_ field: (column: String, metric: String)) -> String {
            let column = data.columns.first { $0.id == field.column }!.label.text(language)
            let metric = data.metrics.first { $0.id == field.metric }!.label.text(language)
            return "\(column) \(metric)"
        }
        let table = ResultTable(
            caption: try spec.string("caption") ?? data.title.text(language),
            header: [.text(text("loss"))] + fields.map { .text(label($0.element)) },
            rows: try rows.map { row in [try rowCell(row)] + fields.map { .text(row.values[$0.offset]) } },
            rightAligned: true,
            verified: citedMark(data))
        return Expansion(output: .table(table), mentions: Set(rows.compactMap(\.loss)), fixes: [])
    }

    func citedPlot(_ spec: DirectiveSpec) throws -> Expansion {
        let data = try dataset(spec)
        guard let column = try select(spec, "column", from: data.columns.map(\.id))?.first else {
            throw spec.error("cited-plot needs 'column', e.g. 'column: \(data.columns.first?.id ?? "liver")'")
        }
        let metric = try select(spec, "metric", from: data.metrics.map(\.id))?.first ?? data.metrics[0].id
        guard let index = data.fields.firstIndex(where: { $0.column == column && $0.metric == metric }) else {
            throw spec.error("\(data.path) has no '\(column)/\(metric)' field")
        }
        let rows = try selectedRows(spec, data)
        let columnLabel = data.columns.first { $0.id == column }!.label.text(language)
        let metricLabel = data.metrics.first { $0.id == metric }!.label.text(language)
        let title = try spec.string("title") ?? "\(data.title.text(language)): \(columnLabel) \(metricLabel)"
        let entries = rows.map { row -> SVGRankPlot.Entry in
            // The source's short labels keep the plot readable; each still links to its reference page.
            SVGRankPlot.Entry(label: row.label, value: Double(row.values[index]) ?? .nan, text: row.values[index],
                                     link: row.loss.map { "ref:\($0)" })
        }
        let subtitle = text("cited_rank_plot").utf8Replacing("{metric}", with: metricLabel)
            .utf8Replacing("{column}", with: columnLabel)
        let svg = SVGRankPlot(title: title, description: subtitle + " · " + citedPlain(data), axisLabel: metricLabel, entries: entries)
            .render(idPrefix: "rank-" + BlockOutput.fenceLineToken)
        let html = "<figure class=\"executed plot\">\n\(svg)\n<figcaption>\(escapeHTML(title)) · \(escapeHTML(subtitle))</figcaption>\n"
            + citedMark(data) + "\n</figure>\n"
        return Expansion(output: .figure(html), mentions: Set(rows.compactMap(\.loss)), fixes: [])
    }

    // MARK: - Provenance

    /// "reported by Ma et al. (2021), not computed here", as plain text (for an SVG description).
    func citedPlain(_ data: CitedDataset) -> String {
        text("cited").utf8Replacing("{who}", with: data.reportedBy.text(language))
    }

    /// The provenance line under a cited table: who reported the numbers, the paper (DOI), the
    /// repository file at its commit, and who transcribed them when. HTML.
    func citedMark(_ data: CitedDataset) -> String {
        let p = data.provenance
        var html = "<p class=\"cited\"><span class=\"cited-mark\">" + escapeHTML(citedPlain(data)) + "</span>"
        html += " · \(escapeHTML(text("cited_source"))): \(escapeHTML(p.paper))"
        if let table = p.table { html += ", \(escapeHTML(table))" }
        if let doi = p.doi {
            html += " <a href=\"https://doi.org/\(escapeHTML(doi))\">doi:\(escapeHTML(doi))</a>"
        }
        if let repository = p.repository {
            var where_ = repository + (p.repositoryPath.map { "/" + $0 } ?? "")
            if let commit = p.commit { where_ += " @ " + commit.prefix(7) }
            if let section = p.section { where_ += ", " + section }
            let label = "<code>\(escapeHTML(where_))</code>"
            html += " · \(escapeHTML(text("cited_repository"))): " + (p.url.map { "<a href=\"\(escapeHTML($0))\">\(label)</a>" } ?? label)
        }
        html += " · " + escapeHTML(text("cited_transcribed").utf8Replacing("{by}", with: p.transcribedBy)
            .utf8Replacing("{on}", with: p.transcribedOn))
        return html + "</p>"
    }
}
