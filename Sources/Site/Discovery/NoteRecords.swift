import Foundation

/// What discovery made of each note (its front matter and their mistakes, where its body starts,
/// the body's `source_hash`), kept in the cache folder (`.cache/lossbook/notes`) under the hash of
/// the note's bytes, so that a build reads only the notes whose bytes changed: after a prose edit,
/// one note is read, decoded, split and hashed, not all 4,000 of the 2,000-page corpus (reading
/// them was 8 % of such a build's CPU samples, most of it hashing and validating 16 MB of text).
///
/// A note is taken from its record when the build stamp's index (``InputIndex``, which hashes
/// again only the files whose size, times, inode or device changed) gives its file the hash the
/// record was made from. Its body is then left unread (``SourcePage/bodyUnread``): a page whose
/// draft the page memo keeps is never parsed; one that must be is read then, and refused if its
/// body is no longer the one recorded (``SourcePage/readBody(limits:)``).
///
/// The records hold under the page memo's identity (the binary, the limits, the folders), since
/// a record is the front matter parser's output for those bytes. The file is one head line, the
/// identity's line, then each record: its length in 8 hexadecimal digits and a newline, then the
/// record in ``CompactCoding``'s form. A build writes the records taken from the file as the bytes
/// it read them from, and encodes only the new ones. A file that does not read is no records (every
/// note is read, as without them); a record cut short ends the file there.
struct NoteRecords: Sendable {
    static let fileName = "notes"
    static let format = "lossbook note records 1"

    /// One note: its path as the build stamp's index names it, the hash of its bytes there, and what
    /// discovery made of them.
    struct Record: Codable, Sendable {
        var path: String
        /// ``fnv1a64(_:continuing:)`` of the note's bytes, as ``InputIndex`` hashes them (its bits).
        var hash: Int
        var frontMatter: FrontMatter
        var bodyLineOffset: Int
        var contentHash: String
        var problems: [Diagnostic]
    }

    /// A record, with its bytes in the file when it was read from one (written again as they are).
    struct Kept: Sendable {
        var record: Record
        var bytes: [UInt8]?
    }

    /// Where the records are kept (nil: in a `serve` session's memory, ``BuildSession/knownNotes(key:content:index:)``).
    let file: URL?
    let identity: String
    /// By path.
    private(set) var kept: [String: Kept] = [:]

    /// Records held in memory by a `serve` session: nothing is read or saved.
    init(kept: [String: Kept]) {
        file = nil
        identity = ""
        self.kept = kept
    }

    /// The records of `cache`'s file made under `identity` (none when there is no such file, or it is another's).
    init(cache: URL, identity: String) {
        let file = cache.appendingPathComponent(Self.fileName)
        self.file = file
        self.identity = identity
        guard let data = FileManager.default.contents(atPath: file.path) else { return }
        kept = Self.parse([UInt8](data), identity: identity)
    }

    /// The records in a file's bytes, when they were made under `identity`.
    static func parse(_ bytes: [UInt8], identity: String) -> [String: Kept] {
        let head = Array((format + "\n" + identity + "\n").utf8)
        guard bytes.starts(with: head) else { return [:] }
        var records: [String: Kept] = [:]
        bytes.withUnsafeBytes { all in
            // Where each record is, first: the table is made at its size (grown record by record,
            // its 4,000 paths were rehashed at every doubling, on the path every build waits for).
            var places: [(head: Int, end: Int)] = []
            var offset = head.count
            while offset + 9 <= all.count, all[offset + 8] == UInt8(ascii: "\n"),
                  let length = Int(String(decoding: UnsafeRawBufferPointer(rebasing: all[offset..<offset + 8]), as: UTF8.self), radix: 16),
                  length <= all.count - offset - 9 {
                places.append((offset, offset + 9 + length))
                offset += 9 + length
            }
            records.reserveCapacity(places.count)
            for (head, end) in places {
                var reader = CompactReader(UnsafeRawBufferPointer(rebasing: all[..<end]), at: head + 9)
                guard let record = try? Record(compact: &reader), reader.isAtEnd else { return }
                records[record.path] = Kept(record: record, bytes: Array(all[head..<end]))
            }
        }
        return records
    }

    /// The record of the note at `path`, when `index` gives its file the hash the record was made from.
    func record(at path: String, index: InputIndex) -> Kept? {
        guard let kept = kept[path], let entry = index.entries[path], entry.hash == UInt64(bitPattern: Int64(kept.record.hash)) else { return nil }
        return kept
    }

    /// A note's record, with the hash of the bytes `data` it was made from: the index's, when the
    /// file read (its status `info`) is the one the index hashed and that entry is trusted; else the
    /// bytes are hashed (a note written in the last moments, whose index entry is racy).
    static func record(path: String, data: Data, info: stat, index: InputIndex, note: SplitNote, contentHash: String) -> Record {
        let hash: UInt64
        if let entry = index.entries[path], !entry.racy, entry.isSameFile(as: InputIndex.Entry(info)) {
            hash = entry.hash
        } else {
            hash = data.withUnsafeBytes { fnv1a64($0) }
        }
        return Record(path: path, hash: Int(Int64(bitPattern: hash)), frontMatter: note.frontMatter, bodyLineOffset: note.bodyLineOffset,
                      contentHash: contentHash, problems: note.problems)
    }

    /// Writes `records` (this build's notes), renamed into place without an `fsync`: a file lost to
    /// a crash is every note read again. Best effort.
    func save(_ records: [Kept]) {
        guard let file else { return }
        var bytes = Array((Self.format + "\n" + identity + "\n").utf8)
        for kept in records {
            if let recorded = kept.bytes {
                bytes += recorded
                continue
            }
            guard let encoded = try? CompactCoding.encode(kept.record), encoded.count <= 0xFFFF_FFFF else { continue }
            let digits = String(encoded.count, radix: 16)
            bytes += Array((String(repeating: "0", count: 8 - digits.count) + digits + "\n").utf8)
            bytes += encoded
        }
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        bytes.withUnsafeBytes { bytes in try? SiteFile.renew(bytes, at: file.path) }
    }
}

extension NoteRecords.Record {
    /// The keys its synthesised `Codable` conformance writes, in that order (``CompactReader``).
    init(compact reader: inout CompactReader) throws {
        self = try reader.keyed { reader in
            try reader.key("path"); let path = try reader.string()
            try reader.key("hash"); let hash = try reader.int()
            try reader.key("frontMatter"); let frontMatter = try FrontMatter(compact: &reader)
            try reader.key("bodyLineOffset"); let offset = try reader.int()
            try reader.key("contentHash"); let contentHash = try reader.string()
            try reader.key("problems"); let problems = try Diagnostic.array(compact: &reader)
            return NoteRecords.Record(path: path, hash: hash, frontMatter: frontMatter, bodyLineOffset: offset,
                                      contentHash: contentHash, problems: problems)
        }
    }
}
