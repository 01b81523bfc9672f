/// `lossbook build --fix`, in one place: compute every executable block without writing the
/// site, rewrite the `expected:` numbers that differ from the library's values in the notes
/// (``DoctestFix``), then build from the fixed notes.
public struct DoctestFixRun: Sendable {
    public var options: BuildOptions

    public init(options: BuildOptions) {
        self.options = options
    }

    /// - Parameter rewritten: called with the rewritten numbers (`path:line:col: old → new`)
    ///   before the build, which may still fail (e.g. the library disagrees with its reference):
    ///   the rewrite has happened regardless, and the author should see it.
    /// - Returns: the build's report, whose `fixed` lists the rewritten numbers.
    public func run(rewritten: ([String]) -> Void = { _ in }) async throws -> BuildReport {
        var collect = options
        collect.write = false
        collect.fix = true
        let applied = try DoctestFix.apply(try await SiteBuilder.build(collect).fixes)
        rewritten(applied)
        var final = options
        final.fix = false
        var report = try await SiteBuilder.build(final)
        report.fixed = applied
        return report
    }
}
