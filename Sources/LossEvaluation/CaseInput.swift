import Foundation

/// Where `lossbook eval` reads its case: a file, or standard input (`-`), bounded in size.
public enum CaseInput {
    /// Bytes of a case, at most: a case this long holds more numbers than a tensor may
    /// (``EvaluationRequest/maximumElements`` is 10⁸; a number and its comma take at least two
    /// bytes, and an input and a target at most that many each), and reading on would only fill
    /// memory (`lossbook eval l1 < /dev/zero` grew without end).
    public static let maximumBytes = 1 << 30

    /// The case's bytes from the file at `path`, or from `standardInput` for `-`: refused past
    /// `limit` bytes (a file by its size, before it is read; standard input as it is read).
    public static func read(_ path: String, standardInput: FileHandle = .standardInput,
                            limit: Int = maximumBytes) throws -> Data {
        let tooLong = { (source: String) in
            EvaluationError(source: source, field: nil, "the case is longer than \(describe(limit)), the most eval reads")
        }
        guard path != "-" else {
            var data = Data()
            while case let chunk = standardInput.readData(ofLength: min(1 << 20, limit + 1)), !chunk.isEmpty {
                data.append(chunk)
                if data.count > limit { throw tooLong("<stdin>") }
            }
            return data
        }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber, size.intValue > limit {
            throw tooLong(path)
        }
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw EvaluationError(source: path, field: nil, "cannot read the file")
        }
        return contents
    }

    /// `1 GiB` for the default; other limits in bytes.
    static func describe(_ bytes: Int) -> String {
        bytes >= 1 << 30 && bytes % (1 << 30) == 0 ? "\(bytes >> 30) GiB" : "\(bytes) bytes"
    }
}
