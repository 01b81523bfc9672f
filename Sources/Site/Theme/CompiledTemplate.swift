import Mustache

/// A template swift-mustache has parsed, turned once into a tree of literal, variable and section
/// operations that render ``TemplateValue``s directly: no `[String: Any]` per page, no protocol
/// casts per key (swift-mustache asks every value it meets whether it is a lambda, a custom
/// representation, a parent, a sequence …, and on Linux each such cast of a dictionary is dear).
///
/// swift-mustache stays the parser (its standalone-line rules, its errors with line and column)
/// and the renderer of everything this type does not take: partials, blocks and inheritance,
/// transforms (`{{upper(x)}}`), content-type pragmas, lambdas. A template using any of them is not
/// compiled (``init(_:)`` returns nil), and a render that meets a value this type does not print
/// the way swift-mustache would (a list or an object in `{{x}}`) returns nil: the caller then
/// renders with swift-mustache, so the output is always swift-mustache's.
///
/// The parsed tokens are internal to swift-mustache: they are read with `Mirror`, by their case
/// and field names. A version that renames them is met with nil (every template then renders
/// with swift-mustache), and `ThemeTests` fails on it, since the default theme must compile.
struct CompiledTemplate: Sendable {
    /// A name as a tag writes it: `.` (the current value), `a.b` (looked up the context stack by
    /// its first part, then down), `.a` (in the current value only).
    struct Name: Sendable, Equatable, Codable {
        var parts: [String]
        var anchored: Bool

        init(_ name: String) {
            parts = name.split(separator: ".").map(String.init)
            anchored = name.first == "."
        }
    }

    indirect enum Operation: Sendable, Equatable, Codable {
        case text(String)
        case variable(Name, escaped: Bool)
        case section(Name, [Operation], inverted: Bool)
    }

    let operations: [Operation]

    init?(_ template: MustacheTemplate) {
        guard let operations = Self.operations(of: template) else { return nil }
        self.operations = operations
    }

    /// The operations a template was compiled to before (a theme read back from the cache: ``Theme/Stored``).
    init(operations: [Operation]) { self.operations = operations }

    /// The template's output for `context`, byte for byte what swift-mustache renders for
    /// `TemplateValue.object(context).mustache`; nil when a value is one this type leaves to it.
    ///
    /// Written as UTF-8 bytes into one buffer, made a string once: appended to a `String` piece by
    /// piece, the 250 pieces of a page's shell in the default theme took 93 M of the 236 M
    /// instructions of rendering 1,000 shells (`valgrind --tool=callgrind`, every page rendered
    /// again, 500 pages per language), 360 a piece; into bytes, 22 M, and 34 M to make the bytes a
    /// string (``MostlyASCII`` is no quicker on a shell: its non-ASCII bytes are spread through it).
    func render(_ context: [String: TemplateValue]) -> String? {
        renderBytes(context).map { String(decoding: $0, as: UTF8.self) }
    }

    /// ``render(_:)``'s UTF-8 bytes, for a caller that writes them as they are (a page's shell,
    /// ``Theme/pageFile(_:html:permalinkLabel:)``): made a string, they are validated again.
    func renderBytes(_ context: [String: TemplateValue]) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(Self.expectedBytes)
        var stack: [TemplateValue] = [.object(context)]
        guard Self.render(operations, stack: &stack, into: &output) else { return nil }
        return output
    }

    /// The buffer a render starts with: the default theme's page shell is 3 to 4 KB.
    private static let expectedBytes = 8 << 10

    // MARK: - Rendering (swift-mustache's `Template+Render.swift`, for these five kinds of value)

    private static func render(_ operations: [Operation], stack: inout [TemplateValue], into output: inout [UInt8]) -> Bool {
        for operation in operations {
            switch operation {
            case let .text(text):
                output.append(contentsOf: text.utf8)
            case let .variable(name, escaped):
                switch lookUp(name, in: stack) {
                case nil: break
                case let .text(text)?: output.append(contentsOf: (escaped ? htmlEscaped(text) : text).utf8)
                case let .bool(flag)?: output.append(contentsOf: (flag ? "true" : "false").utf8)
                case .list?, .object?, .null?: return false  // printed with Swift's `description`: swift-mustache's call
                }
            case let .section(name, inner, inverted: false):
                switch lookUp(name, in: stack) {
                case nil, .bool(false)?:
                    break
                case .bool(true)?:
                    guard render(inner, stack: &stack, into: &output) else { return false }
                case let .list(items)?:
                    for item in items {
                        stack.append(item)
                        defer { stack.removeLast() }
                        guard render(inner, stack: &stack, into: &output) else { return false }
                    }
                case let value?:
                    stack.append(value)
                    defer { stack.removeLast() }
                    guard render(inner, stack: &stack, into: &output) else { return false }
                }
            case let .section(name, inner, inverted: true):
                let value = lookUp(name, in: stack)
                switch value {
                case nil, .bool(false)?:
                    guard render(inner, stack: &stack, into: &output) else { return false }
                case let .list(items)? where items.isEmpty:
                    stack.append(value!)
                    defer { stack.removeLast() }
                    guard render(inner, stack: &stack, into: &output) else { return false }
                default:
                    break
                }
            }
        }
        return true
    }

    /// The value a name stands for; nil for a missing key and for ``TemplateValue/null``. The
    /// first part is looked for from the innermost value out; once a value has it, the rest of
    /// the name is looked up under it alone (as swift-mustache does). Only objects have keys.
    private static func lookUp(_ name: Name, in stack: [TemplateValue]) -> TemplateValue? {
        guard let first = name.parts.first else { return present(stack.last) }
        if name.anchored { return present(descend(name.parts[...], from: stack.last!)) }
        var index = stack.count
        while index > 0 {
            index -= 1
            guard case let .object(fields) = stack[index], let found = fields[first] else { continue }
            return present(name.parts.count == 1 ? found : descend(name.parts.dropFirst(), from: found))
        }
        return nil
    }

    private static func descend(_ parts: ArraySlice<String>, from value: TemplateValue) -> TemplateValue? {
        var value = value
        for part in parts {
            guard case let .object(fields) = value, let found = fields[part] else { return nil }
            value = found
        }
        return value
    }

    private static func present(_ value: TemplateValue?) -> TemplateValue? {
        if case .null? = value { return nil }
        return value
    }

    /// swift-mustache's HTML escape, character by character (a `"` that a combining mark joins is
    /// one other character, and is kept), after a byte scan that finds nothing to escape in most texts.
    static func htmlEscaped(_ text: String) -> String {
        guard needsEscaping(text) else { return text }
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count + 16)
        for character in text {
            switch character {
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "&": escaped += "&amp;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// Whether `text` holds one of `<`, `>`, `&`, `"`, `'`: its bytes read in place, each tested
    /// against a mask of the five (a closure over the string's `utf8` view took 5 instructions a
    /// byte; 26 M of a full rebuild's 690 M at 500 pages per language).
    static func needsEscaping(_ text: String) -> Bool {
        let mask: UInt64 = 1 << 0x3C | 1 << 0x3E | 1 << 0x26 | 1 << 0x22 | 1 << 0x27
        var text = text
        return text.withUTF8 { bytes in
            for byte in bytes where byte < 64 && mask >> byte & 1 != 0 { return true }
            return false
        }
    }

    // MARK: - Reading swift-mustache's parsed tokens

    private static func operations(of template: MustacheTemplate) -> [Operation]? {
        guard let tokens = Mirror(reflecting: template).children.first(where: { $0.label == "tokens" })?.value as? [Any] else { return nil }
        var operations: [Operation] = []
        for token in tokens {
            let mirror = Mirror(reflecting: token)
            guard mirror.displayStyle == .enum, let payload = mirror.children.first, let kind = payload.label else { return nil }
            let fields = Dictionary(Mirror(reflecting: payload.value).children.compactMap { child in child.label.map { ($0, child.value) } },
                                    uniquingKeysWith: { first, _ in first })
            // Only plain names: a transform (`{{upper(x)}}`) is swift-mustache's.
            func name() -> Name? {
                guard let name = fields["name"] as? String, (fields["transforms"] as? [String])?.isEmpty == true else { return nil }
                return Name(name)
            }
            switch kind {
            case "text":
                guard let text = payload.value as? String else { return nil }
                operations.append(.text(text))
            case "variable", "unescapedVariable":
                guard let name = name() else { return nil }
                operations.append(.variable(name, escaped: kind == "variable"))
            case "section", "invertedSection":
                guard let name = name(), let inner = fields["template"] as? MustacheTemplate,
                      let innerOperations = Self.operations(of: inner) else { return nil }
                operations.append(.section(name, innerOperations, inverted: kind == "invertedSection"))
            default:
                return nil  // partials, blocks, content types
            }
        }
        return operations
    }
}
