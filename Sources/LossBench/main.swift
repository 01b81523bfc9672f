// loss-bench: times the loss kernels (see scripts/bench/README.md). Argument parsing and the
// cases live in KernelBench.swift.
KernelBench.main(Array(CommandLine.arguments.dropFirst()))
