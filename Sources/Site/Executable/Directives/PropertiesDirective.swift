import Foundation
import Losses

extension DirectiveExpander {
    // MARK: - loss-properties

    /// ```` ```loss-properties focal ```` — the computed properties of one loss (a row per property,
    /// the counterexample to convexity in full); without an id, or with `losses:`, one row per loss
    /// (every catalog loss when neither is given), each property in short. The numbers are
    /// `LossProperties`; every sentence comes from the theme strings (`props_*`).
    func properties(_ spec: DirectiveSpec) throws -> Expansion {
        let caption = try spec.string("caption")
        if spec.argument != nil || spec.has("loss") {
            let id = try spec.lossID()
            let p = try probe(id, spec)
            let rows: [[Cell]] = [
                [.text(text("props_range")), .markdown(rangeText(p))],
                [.text(text("props_perfect")), .markdown(p.perfect.map(perfectText) ?? text("props_na"))],
                [.text(text("props_symmetry")), .markdown(p.symmetry.map { symmetryText($0, short: false) } ?? text("props_na"))],
                [.text(text("props_convexity")), .markdown(convexityText(p.convexity, short: false))],
                [.text(text("props_gradient")), .markdown(p.gradient.map { gradientText($0, short: false) } ?? text("props_na"))],
                [.text(text("props_empty")), .markdown(p.emptyTarget.map { emptyText($0, short: false) } ?? text("props_na"))],
            ]
            let table = ResultTable(caption: caption, header: [.text(text("props_property")), .text(text("props_observed"))],
                                    rows: rows, rightAligned: false, verified: propertiesMark())
            return Expansion(output: .table(table), mentions: [id], fixes: [])
        }
        let ids = try spec.lossIDs() ?? Catalog.ids
        var rows: [[Cell]] = []
        for id in ids {
            let p = try probe(id, spec)
            rows.append([try loss(id), .markdown(rangeText(p, short: true)),
                         .markdown(p.perfect.map { number($0.value) } ?? text("props_na")),
                         .markdown(p.symmetry.map { symmetryText($0, short: true) } ?? text("props_na")),
                         .markdown(convexityText(p.convexity, short: true)),
                         .markdown(p.gradient.map { gradientText($0, short: true) } ?? text("props_na")),
                         .markdown(p.emptyTarget.map { emptyText($0, short: true) } ?? text("props_na"))])
        }
        let header: [Cell] = [.text(text("ref_loss")), .text(text("props_range")), .text(text("props_perfect")),
                              .text(text("props_symmetry")), .text(text("props_convexity")),
                              .text(text("props_gradient_short_header")), .text(text("props_empty_short_header"))]
        let table = ResultTable(caption: caption, header: header, rows: rows, rightAligned: false, verified: propertiesMark())
        return Expansion(output: .table(table), mentions: [], fixes: [])
    }

    private func probe(_ id: String, _ spec: DirectiveSpec) throws -> LossProperties {
        do {
            return try LossProperties.of(id)
        } catch {
            throw spec.error("cannot probe '\(id)': \(error)")
        }
    }

    /// The mark under the table: what was computed, how, and how strong each kind of cell is.
    private func propertiesMark() -> String {
        let note = text("props_verified")
            .utf8Replacing("{probes}", with: String(LossProperties.probeCount))
            .utf8Replacing("{segments}", with: String(LossProperties.segmentCount))
            .utf8Replacing("{far}", with: String(LossProperties.farProbeCount))
        return "<details class=\"verified\"><summary>\(escapeHTML(text("props_summary")))</summary><p>\(escapeHTML(note))"
            + "\(text("sentence_separator"))\(escapeHTML(text("verified_fingerprint")))<span class=\"fingerprint\">lossbook \(LossbookVersion.current), Losses \(sources.fingerprint.prefix(8))</span></p></details>"
    }

    private func number(_ x: Double) -> String { Self.display(x, digits: 4) }

    private func fill(_ key: String, _ values: [String: String]) -> String {
        values.reduce(text(key)) { $0.utf8Replacing("{\($1.key)}", with: $1.value) }
    }

    private func rangeText(_ p: LossProperties, short: Bool = false) -> String {
        var range = "[\(number(p.range.min)), \(number(p.range.max))]"
        if !short { range = fill("props_range_cell", ["range": range, "probes": String(p.probes)]) }
        if p.range.nonFinite > 0 { range += fill("props_nonfinite", ["count": String(p.range.nonFinite)]) }
        return range
    }

    private func perfectText(_ perfect: LossProperties.Perfect) -> String {
        fill("props_perfect_cell", ["value": number(perfect.value), "at": "$\(perfect.at)$"])
    }

    /// Symmetric when the largest difference is within `symmetryTolerance` of max(1, |L|).
    private func symmetryText(_ symmetry: LossProperties.Symmetry, short: Bool) -> String {
        switch symmetry {
        case let .swap(probes, difference, value, swapped):
            let symmetric = difference <= LossProperties.symmetryTolerance * max(1, abs(value), abs(swapped))
            if short { return fill(symmetric ? "props_swap_symmetric_short" : "props_swap_asymmetric_short", ["probes": String(probes)]) }
            return fill(symmetric ? "props_swap_symmetric" : "props_swap_asymmetric",
                        ["probes": String(probes), "difference": number(difference), "value": number(value), "swapped": number(swapped)])
        case let .underOver(pixels, under, over):
            let equal = abs(under - over) <= LossProperties.symmetryTolerance * max(1, abs(under), abs(over))
            let values = ["pixels": String(pixels), "under": number(under), "over": number(over)]
            if short { return fill(equal ? "props_uo_equal_short" : "props_uo_differ_short", values) }
            return fill("props_uo_cell", values)
        }
    }

    private func convexityText(_ convexity: LossProperties.Convexity, short: Bool) -> String {
        guard let c = convexity.counterexample else {
            return fill(short ? "props_convex_none_short" : "props_convex_none", ["segments": String(convexity.segments)])
        }
        if short { return text("props_convex_found_short") }
        var line = fill("props_convex_found", ["t": number(c.t), "between": number(c.between), "chord": number(c.chord),
                                               "start": number(c.start), "end": number(c.end)])
        if let a = c.startInput, let b = c.endInput {
            func vector(_ xs: [Double]) -> String { "(" + xs.map(number).joined(separator: ", ") + ")" }
            line += fill("props_convex_ends", ["a": vector(a), "b": vector(b)])
            if let target = c.target { line += fill("props_convex_target", ["target": vector(target)]) }
        }
        return line
    }

    private func gradientText(_ gradient: LossProperties.GradientBound, short: Bool) -> String {
        let values = ["near": number(gradient.near), "far": gradient.far.map(number) ?? text("props_na")]
        return fill(short ? "props_gradient_short" : "props_gradient_cell", values)
    }

    private func emptyText(_ empty: LossProperties.EmptyTarget, short: Bool) -> String {
        fill(short ? "props_empty_short" : "props_empty_cell", ["empty": number(empty.predictedEmpty), "fp": number(empty.falsePositive)])
    }
}
