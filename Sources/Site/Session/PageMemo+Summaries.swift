import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension PageMemo {
    /// Every kept page's summary in one file beside the page memo's folder (`page-summaries`), read
    /// in place, mapped: a build after a prose edit takes its 3,999 kept pages from it instead of
    /// opening, reading and closing their files, a read every later stage waits for (at 2,000 pages
    /// per language it ran from 16–18 ms to 63–87 ms of a 205 ms edit, half of it copying each
    /// file's first 8 KB into fresh memory).
    ///
    /// A record is a page file's name, its identity when the record was made (device, inode, size,
    /// modification time) and that time, the lengths of its head and summary, draft and HTML, and
    /// the bytes of its head and summary: what ``PageMemo/read(file:identity:misses:)`` keeps of the
    /// file. A later record of a name replaces an earlier one. A record is taken only when the file
    /// still has that identity and had not been modified for a while when the record was made
    /// (``InputIndex/racyMargin(changed:)``): a file rewritten in place within its clock's tick could
    /// keep its size and time. Any other file, and every file when the summaries are missing, damaged
    /// or of another identity, is read as it was before.
    ///
    /// ``PageMemo/save(_:)`` appends the records of the files it wrote and of the kept files that were
    /// read from their own files (one `write` each, so that a concurrent reader sees whole records or
    /// a record cut short at the end, which it ignores), and writes the file anew, compacted, when it
    /// is missing, of another identity, or mostly replaced records: after a prose edit, a record or two
    /// (7 KB), not the 26 MB of a 2,000-page corpus's summaries (18 ms of the save stage).
    enum Summaries {
        static let fileName = "page-summaries"
        static let format = "lossbook page summaries 2"
        /// A record's fixed part: its file's name (16 bytes) and eight numbers.
        static let recordHead = 16 + 8 * 8

        /// A page file as the summaries describe it.
        struct Record {
            var device: UInt64, inode: UInt64, size: Int64, modified: Int64
            /// The file's head and summary: its first `prefix` bytes.
            var prefix: Int
            var draft: Int, html: Int
            /// When the file was seen with this identity (the clock of files' times).
            var checked: Int64 = 0
        }

        /// The summaries of `identity` in `cache`, mapped, by file name (the last record of each).
        struct Pack {
            let file: MappedFile
            let records: [String: (record: Record, bytes: Range<Int>)]
            /// The bytes of the records that a later one replaced, and of the others.
            let replaced: Int, liveBytes: Int

            /// The record of the file `name` in the folder open at `folder`, when it may be taken.
            func record(_ name: String, in folder: Int32) -> (record: Record, bytes: Range<Int>)? {
                guard let found = records[name] else { return nil }
                var info = stat()
                guard fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
                let (device, inode, size, modified) = KeptHTML.stamp(info)
                let record = found.record
                guard device == record.device, inode == record.inode, size == record.size, modified == record.modified,
                      record.modified + InputIndex.racyMargin(changed: record.modified) <= record.checked else { return nil }
                return found
            }
        }

        static func path(cache: URL) -> String { cache.appendingPathComponent(fileName).path }

        /// The file's first lines.
        static func head(identity: String) -> [UInt8] { Array("\(format)\n\(identity)\n".utf8) }

        /// The summaries at `path`, when they read as this format and `identity`. A record cut short
        /// at the end (another build appending) ends them; any other record that does not read
        /// refuses them all.
        static func read(_ path: String, identity: String) -> Pack? {
            guard let file = MappedFile(path: path) else { return nil }
            let bytes = file.bytes
            let head = Self.head(identity: identity)
            guard bytes.count >= head.count, bytes.starts(with: head) else { return nil }
            var offset = head.count
            func number(at position: Int) -> UInt64 {
                (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[position + $1]) << (8 * $1) }
            }
            // The records in file order first, then the table, made at its size (grown record by
            // record, its 4,000 names were rehashed at every doubling).
            var found: [(name: String, record: Record, bytes: Range<Int>)] = []
            while offset + recordHead <= bytes.count {
                let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + 16]), as: UTF8.self)
                let numbers = (0..<8).map { number(at: offset + 16 + 8 * $0) }
                let (device, inode, size, modified, checked, prefix, draft, html) =
                    (numbers[0], numbers[1], numbers[2], numbers[3], numbers[4], numbers[5], numbers[6], numbers[7])
                guard isHashName(name), prefix >= UInt64(PageMemo.headLength), draft <= UInt64(Int64.max), html <= UInt64(Int64.max),
                      prefix <= UInt64(Int64.max), size <= UInt64(Int64.max), prefix &+ draft &+ html == size else { return nil }
                let start = offset + recordHead
                guard prefix <= UInt64(bytes.count - start) else { break } // cut short: being appended
                let record = Record(device: device, inode: inode, size: Int64(size), modified: Int64(bitPattern: modified),
                                    prefix: Int(prefix), draft: Int(draft), html: Int(html), checked: Int64(bitPattern: checked))
                found.append((name, record, start..<start + Int(prefix)))
                offset = start + Int(prefix)
            }
            var records: [String: (record: Record, bytes: Range<Int>)] = [:]
            records.reserveCapacity(found.count)
            var replaced = 0
            for (name, record, range) in found {
                if let earlier = records.updateValue((record, range), forKey: name) { replaced += recordHead + earlier.bytes.count }
            }
            return Pack(file: file, records: records, replaced: replaced, liveBytes: offset - head.count - replaced)
        }

        /// Whether `pack` is (still) the file at `path`: appended to, or written anew when another build replaced it.
        static func isFile(_ pack: Pack, at path: String) -> Bool {
            guard let info = SiteFile.status(path) else { return false }
            return UInt64(info.st_dev) == pack.file.device && UInt64(info.st_ino) == pack.file.inode
        }

        /// A record's bytes: its fixed part, then `bytes` (its file's head and summary).
        static func recordHead(_ name: String, _ record: Record) -> [UInt8] {
            var head = Array(name.utf8)
            for number in [record.device, record.inode, UInt64(record.size), UInt64(bitPattern: record.modified),
                           UInt64(bitPattern: record.checked), UInt64(record.prefix), UInt64(record.draft), UInt64(record.html)] {
                for index in 0..<8 { head.append(UInt8(truncatingIfNeeded: number >> (8 * index))) }
            }
            return head
        }

        /// Writes `pages` (each a file's name, its record and its head and summary bytes) as the
        /// whole file (``SiteFile/renew(_:at:)-([UnsafeRawBufferPointer],_)``: renamed over the last
        /// one, ext4 started writing the new file's blocks out at the rename, which the build waited
        /// for, 26 MB: 24–89 ms against 13 ms with the last one removed first). A build reading meanwhile finds
        /// no summaries and reads the files. Best effort: without it the next build reads the files.
        static func write(_ pages: [(name: String, record: Record, bytes: UnsafeRawBufferPointer)], identity: String, to path: String) {
            var heads = head(identity: identity)
            let first = heads.count
            heads.reserveCapacity(first + pages.count * recordHead)
            for page in pages { heads.append(contentsOf: recordHead(page.name, page.record)) }
            heads.withUnsafeBytes { heads in
                var pieces: [UnsafeRawBufferPointer] = [UnsafeRawBufferPointer(rebasing: heads[..<first])]
                pieces.reserveCapacity(2 * pages.count + 1)
                for (index, page) in pages.enumerated() {
                    pieces.append(UnsafeRawBufferPointer(rebasing: heads[(first + recordHead * index)..<(first + recordHead * (index + 1))]))
                    pieces.append(page.bytes)
                }
                try? SiteFile.renew(pieces, at: path)
            }
        }

        /// Appends `pages` to the file at `path`, each record with one `write`; false when the file
        /// is not there or a write fails (the file is then written anew).
        static func append(_ pages: [(name: String, record: Record, summary: SummaryBytes)], to path: String) -> Bool {
            let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            for page in pages {
                var bytes = recordHead(page.name, page.record)
                page.summary.withUnsafeBytes { bytes.append(contentsOf: $0) }
                let written = bytes.withUnsafeBytes { PageMemo.systemWrite(fd, $0.baseAddress, $0.count) }
                guard written == bytes.count else { return false }
            }
            return true
        }
    }

    /// `write(2)`, which the enum's own `write` hides there.
    fileprivate static func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, bytes, count) }

    /// A file mapped read-only, whole, until the last reference goes.
    final class MappedFile: @unchecked Sendable {
        let bytes: UnsafeRawBufferPointer
        /// Its modification time when mapped (nanoseconds), device and inode.
        let modified: Int64, device: UInt64, inode: UInt64

        init?(path: String) {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size > 0,
                  let base = mmap(nil, Int(info.st_size), PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { return nil }
            bytes = UnsafeRawBufferPointer(start: base, count: Int(info.st_size))
            (device, inode, _, modified) = KeptHTML.stamp(info)
        }

        deinit { munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count) }
    }

    /// A kept page's head and summary bytes: an array of its own (read from its file), or a range
    /// of the summaries file, mapped (``Summaries``).
    struct SummaryBytes: @unchecked Sendable {
        private let array: [UInt8]
        private let mapped: (file: MappedFile, range: Range<Int>)?

        init(_ array: [UInt8]) {
            self.array = array
            mapped = nil
        }

        init(_ file: MappedFile, _ range: Range<Int>) {
            array = []
            mapped = (file, range)
        }

        /// Whether the bytes are the summaries file's.
        var isMapped: Bool { mapped != nil }

        /// The bytes in the summaries file, valid while the file is (a page that holds them keeps it).
        var mappedBytes: UnsafeRawBufferPointer? { mapped.map { UnsafeRawBufferPointer(rebasing: $0.file.bytes[$0.range]) } }

        var count: Int { mapped?.range.count ?? array.count }

        func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
            if let mapped { return try body(UnsafeRawBufferPointer(rebasing: mapped.file.bytes[mapped.range])) }
            return try array.withUnsafeBytes(body)
        }
    }
}
