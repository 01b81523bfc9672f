import Foundation
import Synchronization

/// Something the Node.js helper renders: a formula (KaTeX) or a code block (highlight.js).
public enum RenderRequest: Sendable, Hashable, Codable {
    case math(tex: String, display: Bool)
    case code(language: String, code: String)

    /// The cache key: the request itself, so equal content always hits.
    var key: String {
        switch self {
        case let .math(tex, display): return (display ? "D:" : "I:") + tex
        case let .code(language, code): return "C:\(language):" + code
        }
    }
}

/// The helper's answer for one request.
public enum RenderResult: Sendable, Equatable, Codable {
    case html(String)
    /// KaTeX's message, and the offset in the TeX it points at, if any.
    case error(message: String, position: Int?)
    /// A command KaTeX can draw but the build refuses (`\href`, `\htmlId`, `\includegraphics`…),
    /// and the offset in the TeX where it is written.
    case refused(command: String, position: Int?)
    /// highlight.js has no such language: the caller shows the code plain.
    case unsupported

    /// An error or a refusal: reported, never kept in the cache.
    var isFailure: Bool {
        switch self {
        case .error, .refused: return true
        case .html, .unsupported: return false
        }
    }
}

/// Where the kept JavaScript libraries are: Debian's `libjs-katex` and `node-highlight.js`.
public struct RenderTools: Sendable {
    public var node: String
    public var katexDirectory: String
    public var highlightDirectory: String
    /// Seconds the helper may take before it is stopped (`LOSSBOOK_HELPER_TIMEOUT`, default 120).
    public var timeout: TimeInterval = 120
    /// Node.js processes a large batch is split over at most (`LOSSBOOK_HELPERS`, default: one per processor).
    public var helpers: Int {
        get { chosenHelpers ?? Self.processors }
        set { chosenHelpers = newValue }
    }
    /// `LOSSBOOK_HELPERS` when set; nil: one per processor.
    private var chosenHelpers: Int?
    /// The processors this process may use, asked for once and only when a batch is split: `ProcessInfo`
    /// reads the control group's CPU files for it (0.6 M instructions, 3 % of a build with nothing to do).
    private static let processors = ProcessInfo.processInfo.activeProcessorCount
    /// The render cache's folder for these tools (``RenderCache/folder``), where the helpers keep
    /// V8's compiled code of KaTeX (``RenderHelper/codeCacheName``); nil: none kept.
    var codeCacheFolder: String?

    public static func fromEnvironment() -> RenderTools {
        let env = ProcessEnvironment.value
        return RenderTools(node: env("LOSSBOOK_NODE") ?? "node",
                           katexDirectory: env("LOSSBOOK_KATEX_DIR") ?? "/usr/share/javascript/katex",
                           highlightDirectory: env("LOSSBOOK_HIGHLIGHT_DIR") ?? "/usr/share/nodejs/highlight.js",
                           timeout: env("LOSSBOOK_HELPER_TIMEOUT").flatMap(TimeInterval.init).flatMap { $0 > 0 ? $0 : nil } ?? 120,
                           chosenHelpers: env("LOSSBOOK_HELPERS").flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil })
    }

    /// Changes whenever the libraries, the macros or the helper script change: part of every cache entry's identity.
    func fingerprint(macros: [String: String]) -> String {
        let files = fingerprintedFiles
        // Made once per process for files that have not changed since: a build asks five times
        // (stamp, page memo, render cache, typesetting), and hashing KaTeX's 270 KB each time was
        // a thirtieth of a small site's build.
        var key = macros.sorted(by: { $0.key < $1.key }).map { "\($0.key)=\($0.value)\n" }.joined()
        for file in files {
            let info = SiteFile.status(file)
            key += "\u{1}\(file) \(info.map { "\($0.st_size) \($0.st_mtim.tv_sec).\($0.st_mtim.tv_nsec) \($0.st_ino) \($0.st_dev)" } ?? "-")"
        }
        return Self.fingerprints.withLock { made in
            if let kept = made[key] { return kept }
            let fingerprint = Self.fingerprint(files: files, macros: macros)
            made[key] = fingerprint
            return fingerprint
        }
    }

    /// The libraries' files ``fingerprint(macros:)`` hashes.
    var fingerprintedFiles: [String] { ["\(katexDirectory)/katex.js", "\(highlightDirectory)/package.json"] }

    /// What ``fingerprint(macros:)`` hashes after the libraries' files: the helper script and the
    /// macros, one `name=expansion` line each, in name order. The build stamp hashes this with the
    /// files walked through its input index (``BuildStamp``).
    static func fingerprintedText(macros: [String: String]) -> String {
        RenderHelper.script + macros.sorted(by: { $0.key < $1.key }).map { "\($0.key)=\($0.value)\n" }.joined()
    }

    /// ``fingerprint(macros:)`` by what it was made from.
    private static let fingerprints = Mutex<[String: String]>([:])

    private static func fingerprint(files: [String], macros: [String: String]) -> String {
        var bytes = [UInt8]()
        for file in files {
            bytes += Array((FileManager.default.contents(atPath: file) ?? Data()))
        }
        bytes += Array(fingerprintedText(macros: macros).utf8)
        return fnv1a64Hex(bytes)
    }
}

/// The Node.js helper: KaTeX and highlight.js in a process that reads batches of requests on
/// stdin (one line of JSON each) and writes every answer back as it is made, framed by its byte
/// length (no JSON to decode). ``RenderWorkers`` runs a few of them and hands out the requests in
/// small chunks, so that the processes finish together.
enum RenderHelper {
    /// Requests a helper process gets at least: below this, starting another Node.js and loading
    /// KaTeX (≈0.1–0.2 s) costs more than the work it takes over.
    static let minimumBatch = 400
    /// Chunks a process is handed over a build, about: small enough that the processes finish
    /// within one chunk of each other, large enough that the round trip per chunk is negligible.
    static let chunksPerProcess = 8
    static let minimumChunk = 16

    /// Processes for `count` requests (one per processor at most, none with fewer than
    /// `minimumBatch`, so a small change keeps to a single process), and the chunk size they are
    /// handed the requests in.
    static func plan(count: Int, processors: Int) -> (processes: Int, chunk: Int) {
        let processes = max(1, min(processors, count / minimumBatch))
        let chunk = max(minimumChunk, (count + processes * chunksPerProcess - 1) / (processes * chunksPerProcess))
        return (processes, chunk)
    }

    /// One chunk as the helper reads it: a single line of JSON (no newline inside).
    static func encode(_ requests: ArraySlice<RenderRequest>, macros: [String: String]) throws -> Data {
        struct Item: Encodable {
            var kind: String
            var tex: String?
            var display: Bool?
            var lang: String?
            var code: String?
        }
        struct Batch: Encodable {
            var macros: [String: String]
            var items: [Item]
        }
        let batch = Batch(
            macros: macros,
            items: requests.map { request in
                switch request {
                case let .math(tex, display): return Item(kind: "math", tex: tex, display: display)
                case let .code(language, code): return Item(kind: "code", lang: language, code: code)
                }
            })
        return try JSONEncoder().encode(batch) + Data("\n".utf8)
    }

    /// Renders `requests` with processes started for the purpose (and stopped after).
    static func render(_ requests: [RenderRequest], tools: RenderTools, macros: [String: String]) throws -> [RenderResult] {
        let workers = RenderWorkers()
        defer { workers.stop() }
        return try workers.render(requests, tools: tools, macros: macros).results
    }

    /// The command line of a helper: the libraries' paths are its arguments, so that it loads
    /// KaTeX as soon as it starts (a build starts its helpers early, while it reads the notes).
    static func arguments(_ tools: RenderTools) -> [String] {
        [tools.node] + (refusingFlags.withLock { $0.contains(tools.node) } ? [] : nodeFlags)
            + ["-e", script, "\(tools.katexDirectory)/katex.js", tools.highlightDirectory]
            + (tools.codeCacheFolder.map { ["\($0)/\(codeCacheName)"] } ?? [])
    }

    /// V8 without its background threads: each helper is one thread. A build runs one helper per
    /// core beside its own work, so V8's optimising compiler and its collector's marking, which
    /// run on threads of their own, only compete for the same cores: cold builds, both ways
    /// alternated on a tmpfs, took about 5 % less time at 500 and 1,000 pages per language and
    /// 1 % at 2,000 (`scripts/bench/HISTORY.md`, "Stop 64").
    static let nodeFlags = ["--single-threaded"]

    /// Node.js executables that refused ``nodeFlags`` (`node: bad option: …`): their helpers
    /// start without them.
    private static let refusingFlags = Mutex<Set<String>>([])

    /// Whether a helper started with `arguments` that failed with `errors` on its stderr refused
    /// ``nodeFlags``, which are then left out for `tools.node` (true: start it again, without
    /// them; its exit status is not always known by then). Every helper started before the first
    /// refusal was noticed refuses too, and is started again the same way.
    static func refusedFlags(_ tools: RenderTools, arguments: [String], errors: Data) -> Bool {
        guard arguments.dropFirst().starts(with: nodeFlags),
              String(decoding: errors, as: UTF8.self).contains("bad option: \(nodeFlags[0])") else { return false }
        refusingFlags.withLock { _ = $0.insert(tools.node) }
        return true
    }

    /// V8's code cache of KaTeX in the render cache's folder: its folder is named by the
    /// fingerprint of `katex.js`'s bytes, and V8 refuses a cache of another Node.js or other flags
    /// (the helper then writes it again).
    static let codeCacheName = "katex-code"

    /// The helper's environment: lossbook's own, without `NODE_EXTRA_CA_CERTS`. Node.js reads
    /// and parses that file of certificates as it starts, before any script runs, and the helper
    /// makes no network connection to trust them for: on a machine whose environment names
    /// Debian's bundle (`/etc/ssl/certs/ca-certificates.crt`), `node -e 0` took 0.10 s with it
    /// and 0.03 s without, a cost every build that typesets a new formula paid once per helper.
    static func environment(_ inherited: [String: String]) -> [String: String] {
        inherited.filter { $0.key != "NODE_EXTRA_CA_CERTS" }
    }

    static func cannotStart(_ tools: RenderTools, _ error: Error) -> Diagnostic {
        Diagnostic(tools.node, stage: .math, "cannot start Node.js to render formulas: \(FileError.cause(error))",
                   hint: Preflight.install)
    }

    static func timedOut(_ tools: RenderTools) -> Diagnostic {
        Diagnostic(tools.node, stage: .math,
                   "the KaTeX/highlight.js helper did not answer within \(Int(tools.timeout)) s and was stopped",
                   hint: "set LOSSBOOK_HELPER_TIMEOUT to a larger number of seconds for very large sites")
    }

    /// A helper that died, or whose answer was incomplete, with the first line it wrote to stderr.
    static func failed(_ tools: RenderTools, status: Int32, errors: Data) -> Diagnostic {
        let firstLine = String(decoding: errors, as: UTF8.self).split(separator: "\n").first.map(String.init)
        let message = firstLine ?? (status == 0 ? "its answer was incomplete" : "it exited with status \(status) and no message")
        return Diagnostic(tools.node, stage: .math, "the KaTeX/highlight.js helper failed: \(message)",
                          hint: "check that \(tools.katexDirectory)/katex.js and \(tools.highlightDirectory) exist; \(Preflight.install)")
    }

    /// Reads the helper's answers as they arrive. Each is a header line `<kind> <number> <length>`
    /// and `length` bytes of UTF-8: kind `h` (HTML), `e` (an error message; the number is the
    /// offset KaTeX points at, -1 for none), `r` (a refused command, at that offset) or `u` (no
    /// such highlight.js language).
    struct AnswerReader {
        private var buffer: [UInt8] = []
        private var start = 0
        private(set) var results: [RenderResult] = []
        /// A header that is not one: the helper is not speaking this protocol.
        private(set) var malformed = false

        mutating func append(_ data: Data) {
            if start > 0, start == buffer.count { buffer.removeAll(keepingCapacity: true); start = 0 }
            buffer.append(contentsOf: data)
            parse()
        }

        /// Hands over the answers read so far.
        mutating func take() -> [RenderResult] {
            defer { results = [] }
            return results
        }

        private mutating func parse() {
            while !malformed, let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let fields = buffer[start..<newline].split(separator: UInt8(ascii: " "))
                guard fields.count == 3, fields[0].count == 1,
                      let number = Int(String(decoding: fields[1], as: UTF8.self)),
                      let length = Int(String(decoding: fields[2], as: UTF8.self)), length >= 0 else {
                    malformed = true
                    return
                }
                let body = newline + 1
                guard body + length <= buffer.count else { return }
                let text = buffer.withUnsafeBufferPointer { MostlyASCII.string(UnsafeBufferPointer(rebasing: $0[body..<(body + length)])) }
                switch fields[0].first {
                case UInt8(ascii: "h"): results.append(.html(text))
                case UInt8(ascii: "u"): results.append(.unsupported)
                case UInt8(ascii: "e"): results.append(.error(message: FileError.oneLine(text), position: number < 0 ? nil : number))
                case UInt8(ascii: "r"): results.append(.refused(command: text, position: number < 0 ? nil : number))
                default: malformed = true; return
                }
                start = body + length
            }
            if start > 1 << 20 { buffer.removeSubrange(0..<start); start = 0 }
        }
    }

    /// Four one-line helpers of KaTeX 0.16's bundle (Debian's `libjs-katex`) took 38 % of its time
    /// (`node --cpu-prof`, the site benchmark's formulas): escaping text for HTML 18 %, formatting
    /// a size in em 9 %, hyphenating a style's name 8 %, joining class names 4 %. The helper
    /// compiles KaTeX with equivalents that do less, each where its text is found exactly once:
    /// a scan before the regular expression (most texts have nothing to escape), a memo of the
    /// sizes and of the names (a few hundred of each), a loop instead of `filter` and `join`. Any
    /// other bundle is compiled as it ships. The answers are the same byte for byte
    /// (`RenderHelperTests`); KaTeX alone typesets a formula in about three quarters of the time.
    static let katexQuicker = #"""
    const quicker = [
      ['m=function(e){return String(e).replace(o,(function(e){return i[e]}))}',
       'm=function(e){e=String(e);for(var t=0;t<e.length;t++){var r=e.charCodeAt(t);'
       + 'if(38===r||60===r||62===r||34===r||39===r)return e.replace(o,(function(e){return i[e]}))}return e}'],
      ['W=function(e){return+e.toFixed(4)+"em"}',
       'W=function(){var t=new Map;return function(e){var r=t.get(e);'
       + 'return void 0===r&&(r=+e.toFixed(4)+"em",t.size<65536&&t.set(e,r)),r}}()'],
      ['c=function(e){return e.replace(a,"-$1").toLowerCase()}',
       'c=function(){var t=new Map;return function(e){var r=t.get(e);'
       + 'return void 0===r&&(r=e.replace(a,"-$1").toLowerCase(),t.size<4096&&t.set(e,r)),r}}()'],
      ['j=function(e){return e.filter((function(e){return e})).join(" ")}',
       'j=function(e){for(var t="",r=!1,n=0;n<e.length;n++)e[n]&&(t+=r?" "+e[n]:e[n],r=!0);return t}'],
    ];
    // Searched as bytes (the texts are ASCII): V8's `indexOf` on the decoded bundle, which holds
    // characters beyond Latin-1, took 8–11 ms of a helper's start for the eight searches; the
    // bytes' take under a millisecond, with one decoding of the result.
    const quicken = (bytes) => {
      const found = [];
      for (const [shipped, quick] of quicker) {
        const at = bytes.indexOf(shipped);
        if (at !== -1 && bytes.indexOf(shipped, at + shipped.length) === -1) found.push([at, shipped.length, quick]);
      }
      found.sort((a, b) => a[0] - b[0]);
      const parts = [];
      let from = 0;
      for (const [at, length, quick] of found) {
        parts.push(bytes.subarray(from, at), Buffer.from(quick));
        from = at + length;
      }
      parts.push(bytes.subarray(from));
      return Buffer.concat(parts).toString('utf8');
    };
    """#

    /// The helper: KaTeX renders HTML + MathML (no client script needed); highlight.js classes code.
    static let script = #"""
    'use strict';
    // stdout is for answers only. highlight.js 9 prints an end-of-life notice with console.log
    // on its first use: dropped, or it would be the first line of a failing helper's message
    // (``failed(_:status:errors:)``) instead of the failure. Warnings go to stderr.
    console.log = console.info = () => {};
    console.warn = (...args) => process.stderr.write(args.join(' ') + '\n');
    const path = require('path'), fs = require('fs');
    \#(katexQuicker)
    // Loaded at once: a build starts its helpers while it is still reading the notes. With a code
    // cache file (argv[3]), compiled from V8's code cache when an earlier helper left one there
    // (9–12 ms, and a faster first formula, against 18–27 ms for `require`); when there is none,
    // or V8 refuses it (another Node.js, other flags), it is written after the first formulas, so
    // that it holds their compiled functions too, before their answers go out.
    let saveCodeCache = null;
    const loadKatex = (file, codeCache) => {
      let source, cached, script;
      try { source = quicken(fs.readFileSync(file)); } catch (e) { return require(file); }
      if (codeCache) {
        try { cached = fs.readFileSync(codeCache); } catch (e) { cached = undefined; }
      }
      const module = { exports: {} };
      try {
        script = new (require('vm').Script)('(function (exports, require, module, __filename, __dirname) {'
          + source + '\n})', { filename: file, cachedData: cached });
        script.runInThisContext()(module.exports, require, module, file, path.dirname(file));
      } catch (e) {
        return require(file);
      }
      if (codeCache && (cached === undefined || script.cachedDataRejected)) {
        saveCodeCache = () => {
          saveCodeCache = null;
          // Beside it first, as lossbook writes its cache files (`.NAME.lossbook-PID`).
          const temporary = path.join(path.dirname(codeCache), '.' + path.basename(codeCache) + '.lossbook-' + process.pid);
          try {
            fs.mkdirSync(path.dirname(codeCache), { recursive: true });
            fs.writeFileSync(temporary, script.createCachedData());
            fs.renameSync(temporary, codeCache);
          } catch (e) {
            try { fs.unlinkSync(temporary); } catch (ignored) {}
          }
        };
      }
      return module.exports;
    };
    const katex = loadKatex(process.argv[1], process.argv[3]);
    // highlight.js's core with the languages asked for so far, each from lib/languages/<name>.js,
    // and those it hands parts of its code to (`subLanguage`) or builds on (`requireLanguage`):
    // the package's index loads all 185, 94 ms of a helper's start. Any other name (an alias, an
    // unknown language), a language that may hand code to any other, or another layout of the
    // package loads the index, as before; the answers are the same either way.
    const hljsDir = process.argv[2], languagesDir = path.join(hljsDir, 'lib', 'languages');
    let hljs, everything = false;
    const loaded = new Set();
    const handedTo = (language) => { // names, or null for "any language"
      const names = new Set(), seen = new Set();
      let any = false;
      const visit = (mode) => {
        if (!mode || typeof mode !== 'object' || seen.has(mode)) return;
        seen.add(mode);
        const sub = mode.subLanguage;
        if (typeof sub === 'string') names.add(sub);
        else if (Array.isArray(sub) && sub.length > 0) sub.forEach((name) => names.add(name));
        else if (sub !== undefined && sub !== null) any = true;
        for (const key of ['contains', 'variants']) if (Array.isArray(mode[key])) mode[key].forEach(visit);
        visit(mode.starts);
      };
      visit(language);
      return any ? null : [...names];
    };
    const load = (name) => {
      if (loaded.has(name)) return true;
      const file = path.join(languagesDir, name + '.js');
      if (!/^[a-z0-9][a-z0-9_-]*$/.test(name) || !fs.existsSync(file)) return false;
      // highlight.js registers a definition that throws as plain text: a missing language it
      // builds on is noticed here instead.
      let missing = false;
      const requireLanguage = hljs.requireLanguage;
      hljs.requireLanguage = (needed) => {
        if (!load(needed)) { missing = true; throw new Error(needed + ' is not loaded'); }
        return requireLanguage(needed);
      };
      try { hljs.registerLanguage(name, require(file)); } catch (e) { missing = true; } finally { hljs.requireLanguage = requireLanguage; }
      if (missing) return false;
      loaded.add(name);
      const names = handedTo(hljs.getLanguage(name));
      return names !== null && names.every(load);
    };
    const loadEverything = () => {
      try { hljs = require(hljsDir); everything = true; } catch (e) { hljs = null; }
    };
    const highlighter = (lang) => {
      if (hljs === undefined) {
        try { hljs = fs.existsSync(languagesDir) ? require(path.join(hljsDir, 'lib', 'highlight.js')) : null; } catch (e) { hljs = null; }
        if (hljs === null || typeof hljs.registerLanguage !== 'function') loadEverything();
      }
      if (hljs && !everything && !load(String(lang).toLowerCase())) loadEverything();
      return hljs;
    };
    // Every line of stdin is a chunk of requests; its answers are written as soon as they are
    // made, each a header line `<kind> <number> <byte length>` and the bytes (no JSON to decode).
    // Each answer is encoded to UTF-8 once, its length read from the bytes (measured as strings,
    // joined and written, KaTeX's two-byte HTML was measured, copied and encoded: 6 % of a helper's CPU).
    const pending = [];
    const frame = (kind, number, text) => {
      const bytes = Buffer.from(text, 'utf8');
      return [Buffer.from(kind + ' ' + number + ' ' + bytes.length + '\n', 'latin1'), bytes];
    };
    const answer = (item, macros) => {
      if (item.kind === 'math') {
        try {
          // Links, HTML attributes and included files (\href, \url, \htmlId, \includegraphics…)
          // are refused: KaTeX would draw them in red and the build would pass.
          let refused = null;
          const trust = (context) => { if (refused === null) refused = context.command; return false; };
          const html = katex.renderToString(item.tex, {
            displayMode: item.display, output: 'htmlAndMathml', throwOnError: true,
            strict: 'ignore', trust: trust, macros: Object.assign({}, macros) });
          if (refused !== null) {
            return frame('r', item.tex.indexOf(refused), refused);
          }
          return frame('h', 0, html);
        } catch (e) {
          const message = String(e && e.message || e).replace(/^KaTeX parse error: /, '');
          return frame('e', (e && typeof e.position === 'number') ? e.position : -1, message);
        }
      }
      const hl = item.lang ? highlighter(item.lang) : null;
      if (!hl || !hl.getLanguage(item.lang)) return frame('u', 0, '');
      return frame('h', 0, hl.highlight(item.lang, item.code, true).value);
    };
    const flush = (parts, size) => {
      if (saveCodeCache) saveCodeCache();
      process.stdout.write(Buffer.concat(parts, size));
    };
    const run = (text) => {
      if (text.length === 0) return;
      const batch = JSON.parse(text.toString('utf8'));
      let parts = [], size = 0;
      for (const item of batch.items) {
        const part = answer(item, batch.macros);
        parts.push(part[0], part[1]);
        size += part[0].length + part[1].length;
        if (size >= 1 << 20) { flush(parts, size); parts = []; size = 0; }
      }
      if (parts.length > 0) flush(parts, size);
    };
    process.stdin.on('data', (chunk) => {
      let start = 0, end;
      while ((end = chunk.indexOf(10, start)) !== -1) {
        pending.push(chunk.subarray(start, end));
        const line = Buffer.concat(pending);
        pending.length = 0;
        start = end + 1;
        run(line);
      }
      if (start < chunk.length) pending.push(chunk.subarray(start));
    });
    process.stdin.on('end', () => run(Buffer.concat(pending)));
    """#
}
