import Foundation

/// Lists the files of a content folder and reads notes as text, the way authors expect:
/// hidden files and editor leftovers are ignored, symlinks are followed while they stay
/// inside the project, cycles and links leaving it are errors, and a note's bytes must be
/// UTF-8 without NUL (a BOM is dropped, CRLF line ends read as LF).
struct SourceFiles {
    /// Real path of the project (the folder holding `content/`): links may not leave it.
    let project: String
    /// Real path of the content folder, for the messages.
    let displayRoot: String
    let contentRoot: String

    init(contentDirectory: URL, displayRoot: String) {
        let content = OutputSafety.realPath(contentDirectory).path
        contentRoot = content
        project = (content as NSString).deletingLastPathComponent
        self.displayRoot = displayRoot
    }

    /// Files under `folder` (relative to it, sorted); mistakes are appended to `diagnostics`.
    /// - Parameter display: `folder` as shown in messages, e.g. `content/en`.
    func list(_ folder: URL, display: String, diagnostics: inout [Diagnostic]) -> [String] {
        var files: [String] = []
        var ancestors: Set<String> = []
        walk(folder.path, relative: "", display: display, ancestors: &ancestors, files: &files, diagnostics: &diagnostics)
        return files.sorted()
    }

    /// - Parameter type: what the folder's listing said `path` is (`d_type`): a file or a folder
    ///   it names is taken as such without an `lstat` (one per note was most of listing a
    ///   2,000-page-per-language content folder); a link, or a name the listing did not type, is looked at.
    private func walk(_ path: String, relative: String, display: String, type: UInt8 = UInt8(DT_UNKNOWN), ancestors: inout Set<String>,
                      files: inout [String], diagnostics: inout [Diagnostic]) {
        if type == UInt8(DT_REG), !relative.isEmpty { return files.append(relative) }
        var info = stat()
        if type == UInt8(DT_DIR), !relative.isEmpty {
            info.st_mode = S_IFDIR
        } else {
            guard lstat(path, &info) == 0 else { return }
        }
        var real = path
        if info.st_mode & S_IFMT == S_IFLNK {
            guard let resolved = realpath(path, nil) else {
                diagnostics.append(Diagnostic(display, stage: .discovery, "broken symlink: its target does not exist",
                                              hint: "remove the link or restore \(linkTarget(path))"))
                return
            }
            real = String(cString: resolved)
            free(resolved)
            guard Self.isInside(real, project) else {
                diagnostics.append(Self.leaving(display, to: real, project: project))
                return
            }
            guard stat(real, &info) == 0 else { return }
        } else if relative.isEmpty, let resolved = realpath(path, nil) {
            real = String(cString: resolved)
            free(resolved)
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            guard ancestors.insert(real).inserted else {
                diagnostics.append(Diagnostic(display, stage: .discovery, "symlink cycle: this folder links back to \(SiteBuilder.displayPath(URL(fileURLWithPath: real)))",
                                              hint: "remove the link"))
                return
            }
            defer { ancestors.remove(real) }
            guard let names = names(in: path, display: display, diagnostics: &diagnostics) else {
                diagnostics.append(Diagnostic(display, stage: .discovery, "cannot read this folder (permission denied?)"))
                return
            }
            for (name, type) in names.sorted(by: { $0.name < $1.name }) {
                walk(path + "/" + name, relative: relative.isEmpty ? name : relative + "/" + name, display: display + "/" + name,
                     type: type, ancestors: &ancestors, files: &files, diagnostics: &diagnostics)
            }
        case S_IFREG:
            if !relative.isEmpty { files.append(relative) }
        default:
            break // sockets, fifos, devices: not content
        }
    }

    /// The names in the folder at `path` but the ignored ones (``ContentTree/isIgnored(_:)``), or
    /// nil when it cannot be read. A name that is not UTF-8 is an error: Foundation's listing
    /// dropped such a file without a word.
    private func names(in path: String, display: String, diagnostics: inout [Diagnostic]) -> [(name: String, type: UInt8)]? {
        guard let folder = opendir(path) else { return nil }
        defer { closedir(folder) }
        var names: [(name: String, type: UInt8)] = []
        while let entry = readdir(folder) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            let name = String(decoding: bytes, as: UTF8.self)
            guard name != ".", name != "..", !ContentTree.isIgnored(name) else { continue }
            if let bad = Self.firstInvalidByte(bytes) {
                diagnostics.append(Diagnostic("\(display)/\(name)", stage: .discovery,
                                              "file name is not UTF-8 (byte 0x\(String(bytes[bad], radix: 16, uppercase: true)))",
                                              hint: "rename it in UTF-8; pages and links are named after their files"))
                continue
            }
            names.append((name, entry.pointee.d_type))
        }
        return names
    }

    /// `real` is `project` or lies inside it, by bytes (``PathBytes``).
    static func isInside(_ real: String, _ project: String) -> Bool {
        PathBytes.equal(real, project) || PathBytes.isInside(real, project)
    }

    /// The real path `path` leads to (links followed) when that is outside `project`; nil when
    /// it is inside, or leads nowhere.
    static func outside(_ path: String, project: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        let real = String(cString: resolved)
        return isInside(real, project) ? nil : real
    }

    /// The error for a link at `display` that leads to `real`, outside `project`.
    static func leaving(_ display: String, to real: String, project: String) -> Diagnostic {
        Diagnostic(display, stage: .discovery, "symlink leaves the project: it points to \(real)",
                   hint: "copy the file into the project, or link to a place inside \(project)")
    }

    private func linkTarget(_ path: String) -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "its target"
    }

    /// A note's text: UTF-8, no NUL, BOM dropped, CRLF (and a lone CR) read as LF.
    /// - Throws: a diagnostic at the line and column of the first bad byte.
    static func decode(_ data: Data, path: String) throws -> String {
        // The usual note (no NUL, no CR, valid UTF-8) is validated and copied once, by the
        // standard library, straight from the file's bytes: a 50 MB note was copied into an
        // array, scanned here, then validated and copied again into its string.
        let plain = data.withUnsafeBytes { raw -> String? in
            var bytes = raw.bindMemory(to: UInt8.self)
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = UnsafeBufferPointer(rebasing: bytes[3...]) }
            guard let base = bytes.baseAddress else { return "" }
            guard memchr(base, 0, bytes.count) == nil, memchr(base, Int32(UInt8(ascii: "\r")), bytes.count) == nil else { return nil }
            return String(validating: bytes, as: UTF8.self)
        }
        if let plain { return plain }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let bad = firstInvalidByte(bytes) {
            let (line, column) = position(of: bad, in: bytes)
            if bytes[bad] == 0 {
                throw Diagnostic(path, line: line, column: column, stage: .discovery, "NUL byte in a text file",
                                 hint: "remove it; a NUL would cut the page short")
            }
            throw Diagnostic(path, line: line, column: column, stage: .discovery,
                             "invalid UTF-8 (byte 0x\(String(bytes[bad], radix: 16, uppercase: true)))",
                             hint: "save the file as UTF-8")
        }
        if bytes.contains(UInt8(ascii: "\r")) {
            var out = [UInt8]()
            out.reserveCapacity(bytes.count)
            var i = 0
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "\r") {
                    out.append(UInt8(ascii: "\n"))
                    if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
                } else {
                    out.append(bytes[i])
                }
                i += 1
            }
            bytes = out
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Offset of the first NUL or first byte of an invalid UTF-8 sequence.
    static func firstInvalidByte(_ b: [UInt8]) -> Int? {
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c == 0 { return i }
            if c < 0x80 {
                i += 1
                continue
            }
            let length: Int, lower: UInt8, upper: UInt8
            switch c {
            case 0xC2...0xDF: (length, lower, upper) = (2, 0x80, 0xBF)
            case 0xE0: (length, lower, upper) = (3, 0xA0, 0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (length, lower, upper) = (3, 0x80, 0xBF)
            case 0xED: (length, lower, upper) = (3, 0x80, 0x9F)
            case 0xF0: (length, lower, upper) = (4, 0x90, 0xBF)
            case 0xF1...0xF3: (length, lower, upper) = (4, 0x80, 0xBF)
            case 0xF4: (length, lower, upper) = (4, 0x80, 0x8F)
            default: return i
            }
            guard i + length <= n, b[i + 1] >= lower, b[i + 1] <= upper else { return i }
            for k in 2..<max(2, length) where b[i + k] & 0xC0 != 0x80 { return i }
            i += length
        }
        return nil
    }

    /// 1-based line and column (in characters, a CRLF ending no column) of a byte offset.
    static func position(of offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        var line = 1, column = 1
        for k in 0..<offset {
            if bytes[k] == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if bytes[k] & 0xC0 != 0x80, bytes[k] != UInt8(ascii: "\r") {
                column += 1
            }
        }
        return (line, column)
    }
}

extension ContentTree {
    /// Hidden files and editor leftovers: `.x.md` (and `.x.md.swp`, `.#x.md`), `x.md~`, `#x.md#`.
    /// Told by the name's first and last bytes, as `ls` tells a hidden file: by characters, a `.`
    /// followed by a combining mark was one character, and `.\u{301}x.md` was published.
    public static func isIgnored(_ name: String) -> Bool {
        let utf8 = name.utf8
        guard let first = utf8.first, let last = utf8.last else { return false }
        return first == UInt8(ascii: ".") || last == UInt8(ascii: "~") || (utf8.count > 1 && first == UInt8(ascii: "#") && last == UInt8(ascii: "#"))
    }
}
