import CYaml

/// What a YAML text expands to, measured from libyaml's events before anything is built:
/// nodes with every alias expanded (an alias counts the nodes of what it names), and nesting
/// depth. Yams expands aliases while composing (and hashes mapping keys whole), so a few hundred
/// bytes of aliases can stand for 10⁸ nodes; this pass costs one scan of the text.
struct YAMLShape {
    enum Excess: Equatable {
        case depth(line: Int, column: Int)
        case nodes(line: Int, column: Int, alias: String?)
    }

    /// The first place the text goes past a limit, or nil (also nil for malformed YAML, which
    /// the composer then reports with its own message).
    static func excess(_ text: String, nodeLimit: Int, depthLimit: Int) -> Excess? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer -> Excess? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            // Open collections: their anchor and the node count when they opened.
            var open: [(anchor: String?, start: Int)] = []
            var sizes: [String: Int] = [:]
            var nodes = 0
            var lastAlias: String?
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                defer { yaml_event_delete(&event) }
                let mark = (line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
                func name(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
                    pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
                }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_SCALAR_EVENT:
                    nodes += 1
                    if let anchor = name(event.data.scalar.anchor) { sizes[anchor] = 1 }
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    let anchor = event.type == YAML_SEQUENCE_START_EVENT ? name(event.data.sequence_start.anchor)
                                                                         : name(event.data.mapping_start.anchor)
                    open.append((anchor, nodes))
                    nodes += 1
                    if open.count > depthLimit { return .depth(line: mark.line, column: mark.column) }
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    if let closed = open.popLast(), let anchor = closed.anchor { sizes[anchor] = nodes - closed.start }
                case YAML_ALIAS_EVENT:
                    let anchor = name(event.data.alias.anchor)
                    lastAlias = anchor
                    let (sum, overflow) = nodes.addingReportingOverflow(anchor.flatMap { sizes[$0] } ?? 1)
                    nodes = overflow ? Int.max : sum
                default:
                    break
                }
                if nodes > nodeLimit { return .nodes(line: mark.line, column: mark.column, alias: lastAlias) }
            }
            return nil
        }
    }
}
