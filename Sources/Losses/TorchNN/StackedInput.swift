/// Losses of `torch.nn` that take several tensors of one shape (margin ranking's x1 and x2,
/// cosine embedding's pair, triplet's anchor, positive and negative) receive them stacked along
/// a new leading axis of the input, `[k, shape…]`; the gradient comes back in the same layout,
/// one block per tensor. This keeps the `Loss` protocol's one input, one target and the
/// `lossbook eval` case format unchanged.
enum StackedInput {
    /// The shape of one stacked tensor.
    /// - Throws: `LossError.shapeMismatch` unless `input` is `[count, shape…]`.
    static func partShape(_ id: String, _ input: Tensor, count: Int, names: String) throws -> [Int] {
        guard input.rank >= 1, input.shape[0] == count else {
            throw LossError.shapeMismatch("'\(id)' takes \(names) stacked along a leading axis of size \(count), "
                                          + "shape [\(count), …]; got \(input.shape)")
        }
        return Array(input.shape.dropFirst())
    }

    /// A whole number stored as `Float` (class index, length), or `nil`.
    static func wholeNumber(_ v: Float) -> Int? {
        guard v.isFinite, v == v.rounded(), abs(v) < 1e9 else { return nil }
        return Int(v)
    }
}
