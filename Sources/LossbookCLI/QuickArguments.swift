/// The command lines builds are run with most — `lossbook`, and `lossbook build` with folder
/// options, `--format` and plain flags — read without ArgumentParser, the same as it reads them
/// (`QuickArgumentsTests` holds the two to the same answers). ArgumentParser's parse reflects over
/// every option of the command, and in a binary that links Foundation statically the Swift
/// runtime's first type and conformance lookups are slow: 4 ms of every run, 13 % of a build with
/// nothing changed at 2,000 pages per language (`scripts/bench/HISTORY.md`, stop 52).
///
/// Anything else is left to ArgumentParser (nil): another command, `--help`, `--fix`,
/// `--base-url`, an option written `--name=value`, a name given twice, grouped short flags, a
/// value that is empty or starts with `-`, folders that do not pass ``FolderArguments/validate()``
/// (ArgumentParser says why).
enum QuickArguments {
    /// `build`'s arguments, when `arguments` (the command line after the program's name) is one of
    /// the forms read here.
    static func build(_ arguments: [String]) -> BuildArguments? {
        var words = arguments[...]
        var parsed = BuildArguments()
        if !words.isEmpty {
            // `lossbook` alone runs `build`, its default subcommand.
            guard words.popFirst() == "build" else { return nil }
        }
        var seen: Set<String> = []
        while let word = words.popFirst() {
            guard let name = names[word], seen.insert(name).inserted else { return nil }
            if let set = flags[name] {
                set(&parsed)
                continue
            }
            guard let value = words.popFirst(), !value.isEmpty, !value.hasPrefix("-"), let set = options[name],
                  set(&parsed, value) else { return nil }
        }
        guard (try? parsed.folders.validate()) != nil else { return nil }
        return parsed
    }

    /// Each spelling read here, by the option's long name.
    private static let names: [String: String] = {
        var names = Dictionary(uniqueKeysWithValues: (Array(flags.keys) + Array(options.keys)).map { ($0, $0) })
        names["-q"] = "--quiet"
        names["-v"] = "--verbose"
        return names
    }()

    private static let flags: [String: @Sendable (inout BuildArguments) -> Void] = [
        "--quiet": { $0.quiet = true },
        "--verbose": { $0.verbose = true },
        "--strict": { $0.strict = true },
        "--drafts": { $0.drafts = true },
        "--no-cache": { $0.folders.noCache = true },
    ]

    /// Options with a value; false when the value is not one the option takes.
    private static let options: [String: @Sendable (inout BuildArguments, String) -> Bool] = [
        "--content": { $0.folders.content = $1; return true },
        "--templates": { $0.folders.templates = $1; return true },
        "--output": { $0.folders.output = $1; return true },
        "--cache-dir": { $0.folders.cacheDir = $1; return true },
        "--sources": { $0.folders.sources = $1; return true },
        "--reference-sources": { $0.folders.referenceSources = $1; return true },
        "--format": { arguments, value in
            guard let format = DiagnosticOptions.Format(rawValue: value) else { return false }
            arguments.format = format
            return true
        },
    ]
}
