import Foundation

/// A value a template reads: what every context (``MustacheContext``) becomes. Typed, so that
/// rendering (``CompiledTemplate``) and the template check (``ContextKeys``) switch over five
/// cases instead of casting `Any` to protocols, which on Linux costs more than the page itself.
enum TemplateValue: Equatable, Sendable {
    case text(String)
    case bool(Bool)
    case list([TemplateValue])
    case object([String: TemplateValue])
    /// An absent optional: the key is there (the template check knows the name) with nothing in
    /// it, which renders as a missing key: nothing, a false section.
    case null

    init(_ text: String?) { self = text.map(TemplateValue.text) ?? .null }
    init(_ context: (some MustacheContext)?) { self = context.map { .object($0.values) } ?? .null }
    init(_ contexts: [some MustacheContext]) { self = .list(contexts.map { .object($0.values) }) }

    /// The value as swift-mustache reads it (for templates ``CompiledTemplate`` does not take):
    /// text, `Bool`, lists, `[String: Any]`, and `NSNull` for an absent value.
    var mustache: Any {
        switch self {
        case let .text(text): return text
        case let .bool(flag): return flag
        case let .list(items): return items.map(\.mustache)
        case let .object(fields): return fields.mapValues(\.mustache)
        case .null: return NSNull()
        }
    }

    /// Whether `{{#key}}` renders its inside for this value, as the template check counts it:
    /// true, a non-empty text or list, any object.
    var opensSection: Bool {
        switch self {
        case let .text(text): return !text.isEmpty
        case let .bool(flag): return flag
        case let .list(items): return !items.isEmpty
        case .object: return true
        case .null: return false
        }
    }
}
