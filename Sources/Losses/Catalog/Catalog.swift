/// Every loss the library has, by id. The single source of truth for the site.
public enum Catalog {
    /// All loss types, grouped by the files that define them.
    public static let losses: [any Loss.Type] =
        genericLosses + distributionLosses + regionLosses + boundaryLosses + compoundLosses + regularizationLosses
        + torchNNLosses + detectionLosses + segmentationExtraLosses + segmentationLosses

    /// Every loss's descriptor, in the order of ``losses``.
    public static var descriptors: [LossDescriptor] { losses.map { $0.descriptor } }

    /// Every loss's id, in the order of ``losses`` (`lossbook list`).
    public static var ids: [String] { losses.map { $0.descriptor.id } }

    /// The loss type with this id.
    /// - Throws: ``LossError/unknownLoss(_:suggestion:)``, with the closest id if one is close.
    public static func type(for id: String) throws -> any Loss.Type {
        if let type = losses.first(where: { $0.descriptor.id == id }) { return type }
        throw LossError.unknownLoss(id, suggestion: closest(to: id, in: ids))
    }

    /// The descriptor of the loss with this id.
    /// - Throws: ``LossError/unknownLoss(_:suggestion:)``, with the closest id if one is close.
    public static func descriptor(for id: String) throws -> LossDescriptor {
        try type(for: id).descriptor
    }

    /// Validates `values` against the loss's parameter specs (unknown names, kinds, ranges),
    /// fills in defaults, and builds the loss.
    public static func make(_ id: String, _ values: [String: ParameterValue] = [:]) throws -> any Loss {
        let type = try type(for: id)
        let parameters = try validate(values, against: type.descriptor)
        return try type.init(parameters)
    }

    /// Checks parameter values and fills in defaults, without building the loss.
    public static func validate(_ values: [String: ParameterValue], against descriptor: LossDescriptor) throws -> Parameters {
        let specs = descriptor.parameters
        var filled: [String: ParameterValue] = [:]
        for (name, value) in values {
            guard let spec = specs.first(where: { $0.name == name }) else {
                throw LossError.unknownParameter(loss: descriptor.id, name: name,
                                                 suggestion: closest(to: name, in: specs.map(\.name)))
            }
            filled[name] = try check(value, spec, loss: descriptor.id)
        }
        for spec in specs where filled[spec.name] == nil {
            filled[spec.name] = spec.defaultValue
        }
        return Parameters(loss: descriptor.id, values: filled)
    }

    private static func check(_ value: ParameterValue, _ spec: ParameterSpec, loss: String) throws -> ParameterValue {
        func fail(_ message: String) -> LossError {
            .invalidParameter(loss: loss, name: spec.name, message: message)
        }
        func inRange(_ x: Double, _ min: Double?, _ max: Double?, _ minOpen: Bool, _ maxOpen: Bool) throws {
            guard x.isFinite else { throw fail("\(x) is not a finite number") }
            if let lo = min, minOpen ? !(x > lo) : !(x >= lo) {
                throw fail("\(ParameterValue.format(x)) is out of range: must be \(minOpen ? ">" : "≥") \(ParameterValue.format(lo))")
            }
            if let hi = max, maxOpen ? !(x < hi) : !(x <= hi) {
                throw fail("\(ParameterValue.format(x)) is out of range: must be \(maxOpen ? "<" : "≤") \(ParameterValue.format(hi))")
            }
        }
        switch (spec.kind, value) {
        case let (.number(min, max, minOpen, maxOpen), .number(x)):
            try inRange(x, min, max, minOpen, maxOpen)
            return value
        case let (.integer(min, max), .number(x)):
            guard x == x.rounded() else { throw fail("\(x) is not a whole number") }
            try inRange(x, min.map(Double.init), max.map(Double.init), false, false)
            return value
        case (.bool, .bool):
            return value
        case let (.bool, .string(s)) where s == "true" || s == "false":
            return .bool(s == "true")
        case let (.choice(options), .string(s)):
            guard options.contains(s) else {
                throw fail("'\(s)' is not one of \(options.joined(separator: ", "))"
                           + (closest(to: s, in: options).map { " (did you mean '\($0)'?)" } ?? ""))
            }
            return value
        case let (.numbers(min, max), .numbers(xs)):
            for x in xs { try inRange(x, min, max, false, false) }
            return value
        case let (.numbers(min, max), .number(x)):
            try inRange(x, min, max, false, false)
            return .numbers([x])
        default:
            throw fail("expected \(expectation(spec.kind)), got \(value)")
        }
    }

    private static func expectation(_ kind: ParameterKind) -> String {
        switch kind {
        case .number: return "a number"
        case .integer: return "a whole number"
        case .bool: return "true or false"
        case let .choice(options): return "one of \(options.joined(separator: ", "))"
        case .numbers: return "a list of numbers"
        }
    }

    /// The candidate nearest by edit distance, if it is close enough to be a likely typo. Two
    /// neighbouring letters swapped count as one edit (optimal string alignment), as typists make
    /// them: `titel` is one edit from `title`, two from `cited`.
    public static func closest(to word: String, in candidates: [String]) -> String? {
        let word = Letters(word)
        let limit = max(2, word.count / 3), length = word.count
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let letters = Letters(candidate)
            // An edit changes the length by one at most: a candidate whose length differs by more
            // than the limit is too far without being measured (every fenced block of a page asks
            // whether its language is a misspelt directive: 2.8 % of the CPU of a build that renders
            // 4,000 pages, each measuring "python" against every directive name).
            guard abs(letters.count - length) <= limit else { continue }
            let distance = editDistance(word, letters)
            // Ties go to the first name in order, whatever order the candidates came in (a dictionary's keys).
            if distance <= limit, best.map({ (distance, candidate) < ($0.distance, $0.name) }) ?? true { best = (candidate, distance) }
        }
        return best?.name
    }

    /// A word's characters as edit distance compares them: an ASCII word without `\r` (the one
    /// ASCII byte that joins the next, `\r\n`, into one character) as its bytes, each then one
    /// character, without grapheme breaking; any other word as its characters. (`python` against
    /// the directive names: 24 k instructions as characters, 12 k as bytes.)
    enum Letters {
        case bytes([UInt8])
        case characters([Character])

        init(_ word: String) {
            let bytes = Array(word.utf8)
            self = bytes.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "\r") }) ? .bytes(bytes) : .characters(Array(word))
        }

        var count: Int {
            switch self {
            case let .bytes(bytes): return bytes.count
            case let .characters(characters): return characters.count
            }
        }

        /// The characters, each as the `Character` it is (for a word compared with one that is not all bytes).
        var characters: [Character] {
            switch self {
            case let .bytes(bytes): return bytes.map { Character(Unicode.Scalar($0)) }
            case let .characters(characters): return characters
            }
        }
    }

    static func editDistance(_ a: String, _ b: String) -> Int { editDistance(Letters(a), Letters(b)) }

    static func editDistance(_ a: Letters, _ b: Letters) -> Int {
        if case let .bytes(a) = a, case let .bytes(b) = b { return editDistance(a, b) }
        return editDistance(a.characters, b.characters)
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
    /// neighbours, each one edit.
    static func editDistance<Unit: Equatable>(_ a: [Unit], _ b: [Unit]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        // Three rows, reused: the row before the previous one (for a swap), the previous and this one.
        var beforePrevious = [Int](repeating: 0, count: b.count + 1), previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = Swift.min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }
}
