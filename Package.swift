// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "lossbook",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "lossbook", targets: ["lossbook"]),
        .library(name: "Losses", targets: ["Losses"]),
        .executable(name: "loss-bench", targets: ["LossBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.0"),
    ],
    targets: [
        // MARK: - Loss library

        /// Tensors, every loss (value + analytic gradient), distance transform, the catalog.
        .target(name: "Losses"),
        /// Plain Float64 textbook implementations, sharing no code with `Losses`.
        .target(name: "LossReference"),
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
        /// Discovery, front matter, templates, math, links, output.
        .target(
            name: "Site",
            dependencies: [
                "Markdown", "Losses", "LossReference",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        /// Subcommand parsing; the work lives in `Site` and `Losses`.
        .target(
            name: "LossbookCLI",
            dependencies: [
                "Site", "Markdown", "Losses",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "FlyingFox", package: "FlyingFox"),
            ]
        ),
        .executableTarget(name: "lossbook", dependencies: ["LossbookCLI"]),

        // MARK: - Tests

        /// Shared by the test targets: the GFM peer suite's examples.
        .target(name: "_TestSupport", path: "Sources/_TestSupport"),

        .testTarget(name: "LossesTests", dependencies: ["Losses", "LossReference"], resources: [.copy("Fixtures")]),
        .testTarget(name: "MarkdownTests", dependencies: ["Markdown", "CCmarkGFM", "_TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SiteTests", dependencies: ["Site", "Markdown", "_TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CLITests", dependencies: ["LossbookCLI", "Markdown", "Losses", "_TestSupport"]),
    ]
)
