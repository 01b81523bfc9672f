extension YAMLReader {
    /// Refuses a document nested deeper than `limits.yamlDepth` or expanding (aliases
    /// included) to more than `limits.yamlNodes` nodes, before it is composed.
    func checkShape(_ text: String) throws {
        switch YAMLShape.excess(text, nodeLimit: limits.yamlNodes, depthLimit: limits.yamlDepth) {
        case nil:
            return
        case let .depth(line, column):
            throw Diagnostic(path, line: line + lineOffset, column: fileColumn(column, line: line), stage: stage,
                             "YAML nested more than \(limits.yamlDepth) levels deep",
                             hint: "flatten it, " + Limits.raise("yaml_depth"))
        case let .nodes(line, column, alias):
            let cause = alias.map { " (the alias '*\($0)' expands what '&\($0)' names)" } ?? ""
            throw Diagnostic(path, line: line + lineOffset, column: fileColumn(column, line: line), stage: stage,
                             "YAML expands to more than \(limits.yamlNodes) values\(cause)",
                             hint: alias != nil ? "write the values out instead of aliasing them, " + Limits.raise("yaml_nodes")
                                                : "make it smaller, " + Limits.raise("yaml_nodes"))
        }
    }
}
