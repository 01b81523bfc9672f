/// Scores `[N, C]` (or `[C]`) with one class index per row `[N]` (or `[]`): the layout of
/// `multi-margin`.
enum ClassRows {
    static func indices(_ id: String, _ input: Tensor, _ target: Tensor?) throws -> (rows: Int, classes: Int, labels: [Int]) {
        guard input.rank == 1 || input.rank == 2, let target, target.shape == Array(input.shape.dropLast()) else {
            throw LossError.shapeMismatch("'\(id)': input [N, C] with target [N], or [C] with target []; "
                                          + "got input \(input.shape), target \(target?.shape ?? [])")
        }
        let classes = input.shape[input.rank - 1]
        guard classes > 0 else { throw LossError.invalidInput("'\(id)': no classes in \(input.shape)") }
        let labels = try target.data.enumerated().map { i, v -> Int in
            guard let label = StackedInput.wholeNumber(v), label >= 0, label < classes else {
                throw LossError.invalidInput("'\(id)': target[\(i)] = \(v) is not a class index in 0..<\(classes)")
            }
            return label
        }
        return (target.count, classes, labels)
    }
}
