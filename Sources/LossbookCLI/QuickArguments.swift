/// The command lines builds are run with most — `lossbook`, and `lossbook build` with folder
/// options, `--format` and plain flags — read without ArgumentParser, the same as it reads them
/// (`QuickArgumentsTests` holds the two to the same answers). ArgumentParser's parse reflects over
/// every option of the command, and in a binary that links Foundation statically the Swift
/// runtime's first type and conformance lookups are slow: 4 ms of every run, a seventh of a build
/// with nothing changed at 2,000 pages per language (`scripts/bench/HISTORY.md`, stop 52). A
/// `switch`, not tables of closures: making a table's type was itself a tenth of a millisecond.
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
        var seen: [String] = []
        while let word = words.popFirst() {
            let name = word == "-q" ? "--quiet" : word == "-v" ? "--verbose" : word
            guard !seen.contains(name) else { return nil }
            seen.append(name)
            switch name {
            case "--quiet": parsed.quiet = true
            case "--verbose": parsed.verbose = true
            case "--strict": parsed.strict = true
            case "--drafts": parsed.drafts = true
            case "--no-cache": parsed.folders.noCache = true
            case "--content", "--templates", "--output", "--cache-dir", "--sources", "--reference-sources", "--format":
                guard let value = words.popFirst(), !value.isEmpty, !value.hasPrefix("-") else { return nil }
                switch name {
                case "--content": parsed.folders.content = value
                case "--templates": parsed.folders.templates = value
                case "--output": parsed.folders.output = value
                case "--cache-dir": parsed.folders.cacheDir = value
                case "--sources": parsed.folders.sources = value
                case "--reference-sources": parsed.folders.referenceSources = value
                default:
                    guard let format = DiagnosticOptions.Format(rawValue: value) else { return nil }
                    parsed.format = format
                }
            default: return nil
            }
        }
        guard (try? parsed.folders.validate()) != nil else { return nil }
        return parsed
    }
}
