import Foundation

/// Compound losses: weighted sums of the reference's own region and distribution losses.
extension ReferenceLosses {
    static var compoundEntries: [Entry] {
        [
            Entry(id: "dice-ce", defaults: diceDefaults.merging(crossEntropyDefaults) { $1 }.merging([
                "lambda_dice": .number(1), "lambda_ce": .number(1),
            ]) { $1 }) { input, target, p in
                let dice = try part("dice", input, target, p)
                let ce = try part("cross-entropy", input, target, p)
                return RefArray(scalar: try p.number("lambda_dice") * dice + (try p.number("lambda_ce")) * ce)
            },
            Entry(id: "dice-focal", defaults: diceDefaults.merging([
                "gamma": .number(2), "alpha": .numbers([]), "lambda_dice": .number(1), "lambda_focal": .number(1),
            ]) { $1 }) { input, target, p in
                let dice = try part("dice", input, target, p)
                let focal = try part("focal", input, target, p)
                return RefArray(scalar: try p.number("lambda_dice") * dice + (try p.number("lambda_focal")) * focal)
            },
            Entry(id: "dice-topk", defaults: diceDefaults.merging(crossEntropyDefaults) { $1 }.merging([
                "k": .number(10), "lambda_dice": .number(1), "lambda_topk": .number(1),
            ]) { $1 }) { input, target, p in
                let dice = try part("dice", input, target, p)
                let topk = try part("topk", input, target, p)
                return RefArray(scalar: try p.number("lambda_dice") * dice + (try p.number("lambda_topk")) * topk)
            },
            Entry(id: "exp-log", defaults: overlapDefaults.merging([
                "w_dice": .number(0.8), "w_cross": .number(0.2), "gamma_dice": .number(0.3), "gamma_cross": .number(0.3),
            ]) { $1 }) { input, target, p in
                try expLog(input, target, p)
            },
            Entry(id: "combo", defaults: overlapDefaults.merging(["alpha": .number(0.5), "beta": .number(0.5)]) { $1 }) { input, target, p in
                try combo(input, target, p)
            },
        ]
    }

    static let diceDefaults: [String: RefParameter] = overlapDefaults.merging([
        "squared_pred": .bool(false), "jaccard": .bool(false), "weight": .numbers([]),
    ]) { $1 }

    /// Evaluates a component loss with the parameters it knows, taken from the compound's.
    static func part(_ id: String, _ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> Double {
        let component = try entry(id)
        var values: [String: RefParameter] = [:]
        for name in component.defaults.keys {
            if let v = p.values[name] ?? p.defaults[name] { values[name] = v }
        }
        let result = try component.evaluate(input, target, try RefParameters(values, defaults: component.defaults))
        guard let scalar = result.scalar else { throw ReferenceError.invalidInput("\(id) returned \(result.shape)") }
        return scalar
    }

    /// Exponential logarithmic loss (Wong et al. 2018):
    /// `w_dice · mean_{n,c} (−ln Dice_{n,c})^{γ_dice} + w_cross · mean_i (−ln p_{i,y_i})^{γ_cross}`.
    static func expLog(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        let (scores, dense) = try probabilitiesAndTarget(input, target, p)
        let (rows, classes, table) = try overlapTable(scores, dense, p)
        let gammaDice = try p.number("gamma_dice"), gammaCross = try p.number("gamma_cross")
        var diceTerms: [Double] = []
        for row in 0..<rows {
            for k in classes.indices {
                let t = table[row][k]
                let dice = (2 * t.tp + t.smoothNr) / (t.pSum + t.g + t.smoothDr)
                diceTerms.append(pow(-log(dice), gammaDice))
            }
        }
        var crossTerms: [Double] = []
        for n in 0..<scores.batch {
            for s in 0..<scores.spatial {
                var logPTrue = 0.0
                for c in 0..<scores.channels { logPTrue += dense.t[scores.at(n, c, s)] * scores.logP[scores.at(n, c, s)] }
                crossTerms.append(pow(-logPTrue, gammaCross))
            }
        }
        let value = (try p.number("w_dice")) * diceTerms.reduce(0, +) / Double(diceTerms.count)
            + (try p.number("w_cross")) * crossTerms.reduce(0, +) / Double(crossTerms.count)
        return RefArray(scalar: value)
    }

    /// Combo loss (Taghanaki et al. 2019): `α · L_wBCE + (1 − α)(1 − Dice)` with
    /// `L_wBCE = −mean[β g log p + (1 − β)(1 − g) log(1 − p)]`.
    static func combo(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        let (scores, dense) = try probabilitiesAndTarget(input, target, p)
        let alpha = try p.number("alpha"), beta = try p.number("beta")
        var bce = 0.0
        for i in 0..<scores.p.count {
            let g = dense.t[i]
            bce += -(beta * g * scores.logP[i] + (1 - beta) * (1 - g) * scores.logOneMinusP[i])
        }
        bce /= Double(scores.p.count)
        let (rows, classes, table) = try overlapTable(scores, dense, p)
        var dice = 0.0
        for row in 0..<rows {
            for k in classes.indices {
                let t = table[row][k]
                dice += (2 * t.tp + t.smoothNr) / (t.pSum + t.g + t.smoothDr)
            }
        }
        dice /= Double(rows * classes.count)
        return RefArray(scalar: alpha * bce + (1 - alpha) * (1 - dice))
    }
}
