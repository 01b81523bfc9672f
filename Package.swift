// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "lossbook",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "lossbook", targets: ["lossbook"]),
        .library(name: "Losses", targets: ["Losses"]),
        .executable(name: "loss-bench", targets: ["LossBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        /// `swift package --disable-sandbox generate-documentation --target Losses` (the DocC catalog
        /// `Sources/Losses/Losses.docc`); a command plugin, built only when that command runs.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        // MARK: - Loss library

        /// Tensors, every loss (value + analytic gradient), distance transform, the catalog.
        /// Optimised in debug builds too (as `LossReference`): the tests and the debug `lossbook`
        /// run the kernels on real inputs, e.g. SSIM's tests 30 s unoptimised, 1.5 s of CPU with -O.
        .target(name: "Losses", dependencies: ["CLossKernels"],
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        /// The softmax's Float32 SIMD kernel (`exp`, `log`, one block of positions) in C, compiled for
        /// the baseline and for AVX2+FMA and chosen at run time (Swift cannot multiversion a function);
        /// only `Losses/Core/Softmax.swift` calls it. Optimised in debug builds too, as `Losses`.
        .target(name: "CLossKernels", cSettings: [.unsafeFlags(["-O2"], .when(configuration: .debug))]),
        /// Plain Float64 textbook implementations, sharing no code with `Losses`. Optimised in debug
        /// builds too: the tests' finite-difference checks evaluate it thousands of times per loss
        /// (228 s unoptimised, about a tenth of that with -O; IEEE results are the same, Swift never
        /// contracts to FMA or reassociates without being told to).
        .target(name: "LossReference", swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        /// `lossbook eval`'s contract: a JSON case (NaN/Infinity as written on output, checked
        /// shapes), `NAME=VALUE` parameters, the distance transform, the JSON result.
        .target(name: "LossEvaluation", dependencies: ["Losses"]),
        /// Executable LaTeX: parses and evaluates the formulas the notes state for losses (Foundation only).
        /// Optimised in debug builds too: the formula checks evaluate sums over probe grids per element.
        .target(name: "FormulaCheck", swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        /// The catalog's formulas bound to `Losses` and checked against it on probe inputs.
        .target(name: "LossFormulas", dependencies: ["FormulaCheck", "Losses"],
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        /// Times the loss kernels against PyTorch/MONAI/SciPy (`scripts/bench/kernels.sh`); build with `-c release`.
        .executableTarget(name: "LossBench", dependencies: ["Losses"]),

        // MARK: - Site generator

        /// cmark-gfm, as Debian packages it (`libcmark-gfm-dev`, `libcmark-gfm-extensions-dev`).
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        /// The only module that touches cmark-gfm: parse/render, math protection.
        .target(name: "Markdown", dependencies: ["CCmarkGFM"]),
        /// The pipeline: load → discover → execute → render → typeset → link-check → assemble → write.
        /// The sources of the code that computes and checks its numbers are compiled in (provenance).
        .target(
            name: "Site",
            dependencies: [
                "Markdown", "Losses", "LossReference", "LossFormulas",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            plugins: ["SourceFingerprintPlugin"]
        ),
        /// Writes `CompiledSources.swift` for `SourceFingerprintPlugin`.
        .executableTarget(name: "source-fingerprint"),
        .plugin(name: "SourceFingerprintPlugin", capability: .buildTool(), dependencies: ["source-fingerprint"]),
        /// `lossbook serve`'s work: build, serve on loopback (Hummingbird on SwiftNIO, with bounded
        /// request heads and timeouts), reload open pages after a rebuild.
        .target(
            name: "DevServer",
            dependencies: [
                "Site", "Markdown",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        /// Subcommand parsing; the work lives in `Site`, `DevServer`, `LossEvaluation` and `Losses`.
        .target(
            name: "LossbookCLI",
            dependencies: [
                "Site", "DevServer", "LossEvaluation", "Losses",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        /// Linked without exporting its own symbols to the dynamic symbol table (the Swift driver
        /// exports them when the runtime is linked in statically): the runtime's start-up looks up
        /// one address with `dladdr`, which walked the 25,000 exported symbols, a tenth of the time
        /// of a build with nothing changed at 500 pages per language. Nothing looks the binary's
        /// own symbols up by name (``cFunction(_:as:)`` finds the C library's).
        .executableTarget(name: "lossbook", dependencies: ["LossbookCLI"],
                          linkerSettings: [.unsafeFlags(["-Xlinker", "--no-export-dynamic"], .when(platforms: [.linux]))]),

        // MARK: - Fuzzing

        /// One driver for every fuzz target (`FuzzEntry`, `EvaluationFuzzEntry`). scripts/fuzz.sh
        /// builds it with -sanitize=fuzzer into .build-fuzz and picks the target with
        /// `LOSSBOOK_FUZZ_TARGET`; a plain build gives a corpus replayer: `lossbook-fuzz TARGET FILE…`.
        .executableTarget(name: "lossbook-fuzz", dependencies: ["Site", "LossEvaluation"], path: "Sources/Fuzz"),

        // MARK: - Tests

        /// Shared by the test targets: the GFM peer suite's examples, the repository's root, temporary folders.
        .target(name: "_TestSupport", path: "Sources/_TestSupport"),

        .testTarget(name: "LossesTests", dependencies: ["Losses", "LossReference"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LossEvaluationTests", dependencies: ["LossEvaluation", "Losses"]),
        .testTarget(name: "MarkdownTests", dependencies: ["Markdown", "_TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SiteTests", dependencies: ["Site", "Markdown", "LossEvaluation", "_TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "DevServerTests",
            dependencies: ["DevServer", "Site", "_TestSupport", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
                           .product(name: "NIOPosix", package: "swift-nio")]
        ),
        .testTarget(name: "FormulaCheckTests", dependencies: ["FormulaCheck", "LossFormulas", "Losses"]),
        .testTarget(name: "CLITests", dependencies: ["LossbookCLI", "Markdown", "Losses", "_TestSupport"]),
    ]
)
