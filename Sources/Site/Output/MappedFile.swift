import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file's bytes mapped read-only into memory (`mmap`, `MAP_PRIVATE`): a page is brought in from
/// the page cache when it is first read, and a part never read costs nothing. The build stamp is
/// read this way (``BuildStamp/read(_:checkingFields:)``): a skipped build reads its 0.4 MB index
/// of input files and prints the warnings' text, and never touches the warnings' fields (half of
/// the 10 MB of a 2,000-page corpus's stamp). Read into an array, the whole file was copied into
/// fresh pages and unmapped again: a sixth of that build's CPU samples (`pread` and `munmap`).
///
/// Only for files this program replaces by `rename` (``SiteFile/replace(_:at:)``), never truncated
/// in place: a mapped file cut short under a reader would fault (`SIGBUS`) when a page past its
/// new end is read. Where the file system cannot map files (some network and FUSE ones), the
/// bytes are read into memory instead. The mapping or the memory is given back when the last
/// owner lets the file go.
final class MappedFile: @unchecked Sendable {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Whether `bytes` is a mapping (else memory this object allocated).
    let isMapped: Bool

    /// nil when the file cannot be opened, mapped or read whole, or is empty (there is nothing to map).
    /// - Parameter mapping: false reads the file into memory without trying `mmap` (tests).
    init?(_ path: String, mapping: Bool = true) {
        guard let (fd, info) = SiteFile.openForReading(path) else { return nil }
        defer { close(fd) } // a mapping outlives the descriptor
        let size = Int(info.st_size)
        guard size > 0 else { return nil }
        if mapping, let start = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), start != MAP_FAILED {
            bytes = UnsafeBufferPointer(start: start.assumingMemoryBound(to: UInt8.self), count: size)
            isMapped = true
            return
        }
        let memory = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        var done = 0
        while done < size {
            let n = pread(fd, memory + done, size - done, off_t(done))
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                memory.deallocate()
                return nil
            }
            done += n
        }
        bytes = UnsafeBufferPointer(start: memory, count: size)
        isMapped = false
    }

    deinit {
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
        } else {
            UnsafeMutablePointer(mutating: bytes.baseAddress)?.deallocate()
        }
    }

    /// The bytes in `range` (valid while this file is held).
    subscript(range: Range<Int>) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: bytes[range]) }
}
