import Foundation

/// Something the Node.js helper renders: a formula (KaTeX) or a code block (highlight.js).
public enum RenderRequest: Sendable, Hashable {
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
    /// highlight.js has no such language: the caller shows the code plain.
    case unsupported
}

/// Where the kept JavaScript libraries are: Debian's `libjs-katex` and `node-highlight.js`.
public struct RenderTools: Sendable {
    public var node: String
    public var katexDirectory: String
    public var highlightDirectory: String
    /// Seconds the helper may take before it is stopped (`LOSSBOOK_HELPER_TIMEOUT`, default 120).
    public var timeout: TimeInterval = 120
    /// Node.js processes a large batch is split over at most (`LOSSBOOK_HELPERS`, default: one per processor).
    public var helpers = ProcessInfo.processInfo.activeProcessorCount

    public static func fromEnvironment() -> RenderTools {
        let env = ProcessInfo.processInfo.environment
        return RenderTools(node: env["LOSSBOOK_NODE"] ?? "node",
                           katexDirectory: env["LOSSBOOK_KATEX_DIR"] ?? "/usr/share/javascript/katex",
                           highlightDirectory: env["LOSSBOOK_HIGHLIGHT_DIR"] ?? "/usr/share/nodejs/highlight.js",
                           timeout: env["LOSSBOOK_HELPER_TIMEOUT"].flatMap(TimeInterval.init).flatMap { $0 > 0 ? $0 : nil } ?? 120,
                           helpers: env["LOSSBOOK_HELPERS"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Changes whenever the libraries, the macros or the helper script change: part of every cache entry's identity.
    func fingerprint(macros: [String: String]) -> String {
        var bytes = [UInt8]()
        for file in ["\(katexDirectory)/katex.js", "\(highlightDirectory)/package.json"] {
            bytes += Array((FileManager.default.contents(atPath: file) ?? Data()))
        }
        bytes += Array(RenderHelper.script.utf8)
        for (name, expansion) in macros.sorted(by: { $0.key < $1.key }) {
            bytes += Array("\(name)=\(expansion)\n".utf8)
        }
        return fnv1a64Hex(bytes)
    }
}

/// Runs a Node.js process per batch of requests: the batch goes in on stdin, every answer comes
/// back on stdout (no process per formula). A build splits what its cache lacks into a few
/// batches (``batches(_:)``), rendered at once.
enum RenderHelper {
    /// Requests a helper process gets at least: below this, starting another Node.js and loading
    /// KaTeX (≈0.1–0.2 s) costs more than the work it takes over.
    static let minimumBatch = 400

    /// `requests` in contiguous batches, one per processor, none smaller than `minimumBatch`
    /// (so a small change still starts a single process).
    static func batches(_ requests: [RenderRequest], processors: Int = ProcessInfo.processInfo.activeProcessorCount) -> [[RenderRequest]] {
        guard !requests.isEmpty else { return [] }
        let count = max(1, min(processors, requests.count / minimumBatch))
        let size = (requests.count + count - 1) / count
        return stride(from: 0, to: requests.count, by: size).map { Array(requests[$0..<min($0 + size, requests.count)]) }
    }

    /// One batch as the helper reads it: a single line of JSON (no newline inside).
    static func encode(_ requests: [RenderRequest], tools: RenderTools, macros: [String: String]) throws -> Data {
        struct Item: Encodable {
            var kind: String
            var tex: String?
            var display: Bool?
            var lang: String?
            var code: String?
        }
        struct Batch: Encodable {
            var katex: String
            var highlight: String
            var macros: [String: String]
            var items: [Item]
        }
        let batch = Batch(
            katex: "\(tools.katexDirectory)/katex.js", highlight: tools.highlightDirectory, macros: macros,
            items: requests.map { request in
                switch request {
                case let .math(tex, display): return Item(kind: "math", tex: tex, display: display)
                case let .code(language, code): return Item(kind: "code", lang: language, code: code)
                }
            })
        return try JSONEncoder().encode(batch)
    }

    static func render(_ requests: [RenderRequest], tools: RenderTools, macros: [String: String]) throws -> [RenderResult] {
        guard !requests.isEmpty else { return [] }
        let input = try encode(requests, tools: tools, macros: macros)
        let run: ChildProcess.Outcome
        do {
            run = try ChildProcess.run(executable: tools.node, arguments: ["-e", script], input: input, timeout: tools.timeout)
        } catch {
            throw cannotStart(tools, error)
        }
        return try answers(run, count: requests.count, tools: tools)
    }

    static func cannotStart(_ tools: RenderTools, _ error: Error) -> Diagnostic {
        Diagnostic(tools.node, stage: .math, "cannot start Node.js to render formulas: \(FileError.cause(error))",
                   hint: Preflight.install)
    }

    /// The answers in a helper's output (one JSON answer a line), or why there are none.
    static func answers(_ run: ChildProcess.Outcome, count: Int, tools: RenderTools) throws -> [RenderResult] {
        struct Answer: Decodable {
            var html: String?
            var error: String?
            var position: Int?
            var unsupported: Bool?
        }
        if run.timedOut {
            throw Diagnostic(tools.node, stage: .math,
                             "the KaTeX/highlight.js helper did not answer within \(Int(tools.timeout)) s and was stopped",
                             hint: "set LOSSBOOK_HELPER_TIMEOUT to a larger number of seconds for very large sites")
        }
        // One JSON answer a line (JSON escapes every newline inside a string): read as one array.
        var array = Data("[".utf8)
        for line in run.output.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            if array.count > 1 { array.append(UInt8(ascii: ",")) }
            array.append(contentsOf: line)
        }
        array.append(UInt8(ascii: "]"))
        guard run.status == 0,
              let answers = try? JSONDecoder().decode([Answer].self, from: array), answers.count == count else {
            let firstLine = String(decoding: run.errors, as: UTF8.self).split(separator: "\n").first.map(String.init)
            let message = firstLine ?? (run.status == 0 ? "its answer was incomplete" : "it exited with status \(run.status) and no message")
            throw Diagnostic(tools.node, stage: .math, "the KaTeX/highlight.js helper failed: \(message)",
                             hint: "check that \(tools.katexDirectory)/katex.js and \(tools.highlightDirectory) exist; \(Preflight.install)")
        }
        return answers.map { answer in
            if let html = answer.html { return .html(html) }
            if answer.unsupported == true { return .unsupported }
            return .error(message: FileError.oneLine(answer.error ?? "unknown error"), position: answer.position)
        }
    }

    /// The helper: KaTeX renders HTML + MathML (no client script needed); highlight.js classes code.
    static let script = #"""
    'use strict';
    // highlight.js 9 prints an end-of-life notice with console.log: keep stdout for answers only.
    console.log = console.warn = console.info = (...args) => process.stderr.write(args.join(' ') + '\n');
    // Every line of stdin is a batch, answered as soon as it is complete: `lossbook build` sends
    // one and closes stdin; a `serve` session keeps the process and sends one per rebuild.
    const pending = [];
    const run = (text) => {
      if (text.length === 0) return;
      const batch = JSON.parse(text.toString('utf8'));
      const katex = require(batch.katex);
      let hljs = null;
      try { hljs = require(batch.highlight); } catch (e) { hljs = null; }
      // One answer a line, written as it is made: an array of every answer (and its JSON) held
      // until the end tripled the helper's memory (400 MB for 4,000 formulas).
      let lines = [];
      const answer = (item) => {
        if (item.kind === 'math') {
          try {
            return { html: katex.renderToString(item.tex, {
              displayMode: item.display, output: 'htmlAndMathml', throwOnError: true,
              strict: 'ignore', trust: false, macros: Object.assign({}, batch.macros) }) };
          } catch (e) {
            const message = String(e && e.message || e).replace(/^KaTeX parse error: /, '');
            return { error: message, position: (e && typeof e.position === 'number') ? e.position : null };
          }
        }
        if (!hljs || !item.lang || !hljs.getLanguage(item.lang)) return { unsupported: true };
        return { html: hljs.highlight(item.lang, item.code, true).value };
      };
      for (const item of batch.items) {
        lines.push(JSON.stringify(answer(item)));
        if (lines.length >= 200) { process.stdout.write(lines.join('\n') + '\n'); lines = []; }
      }
      if (lines.length > 0) process.stdout.write(lines.join('\n') + '\n');
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
