import Foundation

/// JSON with the three non-finite numbers `NaN`, `Infinity` and `-Infinity` written bare, as
/// ``EvaluationResult`` writes them (and Python's `json`), read with Foundation's `JSONDecoder`.
///
/// Standard JSON has no such tokens, so outside strings each is replaced by a string no one
/// writes (starting with the private-use character U+E000) that the decoder's non-conforming-float strategy maps back to
/// the number. Quoted `"NaN"` stays a string; nothing else of JSON changes (no JSON5).
enum NonFiniteJSON {
    static let nan = "\u{E000}NaN", infinity = "\u{E000}Infinity", negativeInfinity = "\u{E000}-Infinity"

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: infinity, negativeInfinity: negativeInfinity, nan: nan)
        return decoder
    }

    /// Decodes `data`, mapping the decoder's errors to the field they concern.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data, source: String?) throws(EvaluationError) -> T {
        do {
            return try decoder().decode(type, from: replacingTokens(data, sameLength: false))
        } catch let error as EvaluationError {
            throw EvaluationError(source: source, field: error.field, error.message)
        } catch let error as DecodingError {
            throw describe(error, data: data, source: source)
        } catch {
            throw EvaluationError(source: source, field: nil, "\(error)")
        }
    }

    /// The bare tokens as sentinel strings (`sameLength: false`), or as numbers of the same
    /// length (`sameLength: true`: `0.0`, `1.000000`, `-1.000000`), so that a syntax error is
    /// reported at the line and column of the text as written.
    static func replacingTokens(_ data: Data, sameLength: Bool) -> Data {
        let bytes = [UInt8](data)
        let tokens: [(text: [UInt8], sentinel: String, number: String)] = [
            (Array("NaN".utf8), nan, "0.0"),
            (Array("Infinity".utf8), infinity, "1.000000"),
            (Array("-Infinity".utf8), negativeInfinity, "-1.000000"),
        ]
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var inString = false, escaped = false
        var i = 0
        scan: while i < bytes.count {
            let byte = bytes[i]
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else {
                for token in tokens where bytes[i...].starts(with: token.text) {
                    let replacement = sameLength ? token.number : "\"" + token.sentinel + "\""
                    out += Array(replacement.utf8)
                    i += token.text.count
                    continue scan
                }
            }
            out.append(byte)
            i += 1
        }
        return Data(out)
    }

    static func describe(_ error: DecodingError, data: Data, source: String?) -> EvaluationError {
        switch error {
        case let .keyNotFound(key, context):
            return EvaluationError(source: source, field: FieldPath.text(context.codingPath), "missing '\(key.stringValue)'")
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            return EvaluationError(source: source, field: FieldPath.text(context.codingPath), "has the wrong type")
        case let .dataCorrupted(context) where context.codingPath.isEmpty:
            // A syntax error: read the text again with same-length numbers for a faithful position.
            var detail = context.underlyingError.map { "\(($0 as NSError).userInfo[NSDebugDescriptionErrorKey] ?? $0)" } ?? context.debugDescription
            do {
                _ = try JSONSerialization.jsonObject(with: replacingTokens(data, sameLength: true), options: [.fragmentsAllowed])
            } catch {
                detail = "\((error as NSError).userInfo[NSDebugDescriptionErrorKey] ?? error.localizedDescription)"
            }
            return EvaluationError(source: source, field: nil, "invalid JSON: \(detail)")
        case let .dataCorrupted(context):
            return EvaluationError(source: source, field: FieldPath.text(context.codingPath), context.debugDescription)
        @unknown default:
            return EvaluationError(source: source, field: nil, "\(error)")
        }
    }
}

/// A coding path as a reader writes it: `input.data[3]`, `params.gamma`.
enum FieldPath {
    static func text(_ path: [any CodingKey]) -> String? {
        guard !path.isEmpty else { return nil }
        var out = ""
        for key in path {
            if let index = key.intValue, key.stringValue.hasPrefix("Index") || key.stringValue == "\(index)" {
                out += "[\(index)]"
            } else {
                out += (out.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return out
    }
}

/// Any key, to find the keys a case has (`Decodable` alone ignores unknown ones).
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        self.stringValue = "Index \(intValue)"
        self.intValue = intValue
    }
}
