import Foundation

/// The Asymmetric Unified Focal loss of Yeung et al. as MONAI writes it: the input made two
/// channels (background, foreground), clamped to [ε, 1 − ε], then the asymmetric focal map
/// stacked over both channels and averaged, and the asymmetric focal Tversky values per sample
/// and channel averaged, mixed by `weight`.
extension ReferenceLosses {
    static var unifiedFocalEntries: [Entry] {
        [
            Entry(id: "unified-focal", defaults: ["reduction": .string("mean"), "to_onehot_y": .bool(false),
                                                  "num_classes": .number(2), "weight": .number(0.5),
                                                  "gamma": .number(0.5), "delta": .number(0.7)]) { input, target, p in
                guard let target, input.shape.count == 4 || input.shape.count == 5 else {
                    throw ReferenceError.invalidInput("unified-focal needs a 2-D or 3-D input and a target")
                }
                let channels = input.shape[1]
                guard channels == 1 || channels == 2 else { throw ReferenceError.invalidInput("binary only") }
                let eps = 1e-7, delta = try p.number("delta"), gamma = try p.number("gamma"), w = try p.number("weight")
                let batch = input.shape[0]
                let pixels = input.count / (batch * channels)
                // prob[n][c][i] and truth[n][c][i] for c = background, foreground.
                var prob = [[[Double]]](), truth = [[[Double]]]()
                for n in 0..<batch {
                    let scores = (0..<channels).map { c in Array(input.data[((n * channels + c) * pixels)..<((n * channels + c + 1) * pixels)]) }
                    let twoScores = channels == 1 ? [scores[0].map { 1 - $0 }, scores[0]] : scores
                    prob.append(twoScores.map { $0.map { min(max($0, eps), 1 - eps) } })
                    var labels: [[Double]]
                    if channels == 2, try p.bool("to_onehot_y") {
                        guard target.count == batch * pixels else { throw ReferenceError.invalidInput("labels expected") }
                        let l = Array(target.data[(n * pixels)..<((n + 1) * pixels)])
                        labels = [l.map { $0 == 0 ? 1 : 0 }, l.map { $0 == 1 ? 1 : 0 }]
                    } else if channels == 1 {
                        guard target.count == batch * pixels else { throw ReferenceError.invalidInput("one map expected") }
                        let l = Array(target.data[(n * pixels)..<((n + 1) * pixels)])
                        labels = [l.map { 1 - $0 }, l]
                    } else {
                        guard target.shape == input.shape else { throw ReferenceError.invalidInput("target shape") }
                        labels = (0..<2).map { c in Array(target.data[((n * 2 + c) * pixels)..<((n * 2 + c + 1) * pixels)]) }
                    }
                    truth.append(labels)
                }
                // Asymmetric focal: mean of the [N, 2, S] stack.
                var focal = 0.0
                for n in 0..<batch {
                    for i in 0..<pixels {
                        let back = (1 - delta) * pow(1 - prob[n][0][i], gamma) * (-truth[n][0][i] * log(prob[n][0][i]))
                        let fore = delta * (-truth[n][1][i] * log(prob[n][1][i]))
                        focal += back + fore
                    }
                }
                focal /= Double(2 * batch * pixels)
                // Asymmetric focal Tversky: mean of the [N, 2] values.
                var tversky = 0.0
                for n in 0..<batch {
                    for c in 0..<2 {
                        let pc = prob[n][c], gc = truth[n][c]
                        let tp = zip(pc, gc).map { $0 * $1 }.reduce(0, +)
                        let fn = zip(pc, gc).map { (1 - $0) * $1 }.reduce(0, +)
                        let fp = zip(pc, gc).map { $0 * (1 - $1) }.reduce(0, +)
                        let index = (tp + eps) / (tp + delta * fn + (1 - delta) * fp + eps)
                        tversky += c == 0 ? 1 - index : pow(1 - index, 1 - gamma)
                    }
                }
                tversky /= Double(2 * batch)
                return RefArray(scalar: w * focal + (1 - w) * tversky)
            },
        ]
    }
}
