@testable import FormulaCheck
import XCTest

/// Orderings stated beside a formula (`m_{\pi(1)} \ge m_{\pi(2)} \ge \cdots`), the sets of an
/// ordering's first k elements, set operations counted by `|…|`, and vectors passed by name
/// (`m(c)` of `m_i(c) = …`): the TeX the Lovász extension is written in.
final class EvaluatorOrderingTests: XCTestCase {
    private let errors = [0.5, 0.9, 0.1, 0.9, 0.3]
    private lazy var m = BoundValue.array(try! BoundArray(axes: ["i"], extents: [errors.count], values: errors))

    private func value(_ formulas: [String], _ values: [String: BoundValue], name: String = "y",
                       axes: Set<String> = ["i"], scope: Evaluator.Scope = [:]) throws -> Double {
        let system = try FormulaSystem(formulas: formulas, axes: axes)
        return try Evaluator(system: system, values: values).evaluate(definition: name, scope: scope)
    }

    /// Positions sorted by error, decreasing, ties by position: what the stated ordering must give.
    private var decreasing: [Int] {
        errors.indices.sorted { errors[$0] != errors[$1] ? errors[$0] > errors[$1] : $0 < $1 }.map { $0 + 1 }
    }

    func testAnOrderingSortsItsNameStablyInTheStatedDirection() throws {
        for k in 1...errors.count {
            let decreasingAt = try value([#"y = \pi(k), \quad m_{\pi(1)} \ge m_{\pi(2)} \ge \cdots"#], ["m": m, "k": .scalar(Double(k))])
            XCTAssertEqual(decreasingAt, Double(decreasing[k - 1]))
            // The subscript spelling, and \le for an increasing order.
            let increasing = errors.indices.sorted { errors[$0] != errors[$1] ? errors[$0] < errors[$1] : $0 < $1 }.map { $0 + 1 }
            let increasingAt = try value([#"y = \tau_k, \quad m_{\tau_1} \le m_{\tau_2} \le \ldots"#], ["m": m, "k": .scalar(Double(k))])
            XCTAssertEqual(increasingAt, Double(increasing[k - 1]))
        }
    }

    func testTheFirstElementsOfAnOrderingFormASetThatSetOperationsCombine() throws {
        let ordering = #"m_{\pi(1)} \ge m_{\pi(2)} \ge \cdots"#
        let g = BoundValue.array(try BoundArray(axes: ["i"], extents: [5], values: [1, 0, 0, 1, 1]))
        let foreground = Set(g.arrayValues.indices.filter { g.arrayValues[$0] == 1 }.map { $0 + 1 })
        for k in 0...errors.count {
            let prefix = Set(decreasing.prefix(k))
            let values = ["m": m, "g": g, "k": BoundValue.scalar(Double(k))]
            let formulas = { (y: String) in [y + ", \\quad " + ordering, #"G = \{ i : g_i = 1 \}"#] }
            XCTAssertEqual(try value(formulas(#"y = |\{\pi(1), \dots, \pi(k)\}|"#), values), Double(prefix.count))
            XCTAssertEqual(try value(formulas(#"y = |G \setminus \{\pi(1), \dots, \pi(k)\}|"#), values),
                           Double(foreground.subtracting(prefix).count))
            XCTAssertEqual(try value(formulas(#"y = |G \cup \{\pi(1), \dots, \pi(k)\}|"#), values), Double(foreground.union(prefix).count))
            XCTAssertEqual(try value(formulas(#"y = |G \cap \{\pi(1), \dots, \pi(k)\}|"#), values),
                           Double(foreground.intersection(prefix).count))
        }
    }

    /// The Lovász extension of the Jaccard loss, as the catalog writes it, against the same sum
    /// computed here from a sort: a set passed to a function of sets, a vector passed by name.
    func testTheLovaszExtensionOfTheJaccardLoss() throws {
        let labels = [1.0, 0, 0, 1, 1]
        let g = BoundValue.array(try BoundArray(axes: ["i"], extents: [5], values: labels))
        func jaccard(_ k: Int) -> Double {
            let set = Set(decreasing.prefix(k)), foreground = Set(labels.indices.filter { labels[$0] == 1 }.map { $0 + 1 })
            return 1 - Double(foreground.subtracting(set).count) / Double(foreground.union(set).count)
        }
        let expected = (1...errors.count).reduce(0.0) { $0 + errors[decreasing[$1 - 1] - 1] * (jaccard($1) - jaccard($1 - 1)) }
        let formulas = [
            #"y = \overline{\Delta_J}(m), \qquad G = \{ i : g_i = 1 \}"#,
            #"\overline{\Delta_J}(m) = \sum_{k=1}^{n} m_{\pi(k)}\, \big(\Delta_J(\{\pi(1),\dots,\pi(k)\}) - \Delta_J(\{\pi(1),\dots,\pi(k-1)\})\big), \quad m_{\pi(1)} \ge m_{\pi(2)} \ge \cdots"#,
            #"\Delta_J(S) = 1 - \frac{|G \setminus S|}{|G \cup S|}"#,
        ]
        XCTAssertEqual(try value(formulas, ["m": m, "g": g, "n": .scalar(5)]), expected, accuracy: 1e-12)
    }

    /// `G \cup S = \emptyset` in a `cases` condition: the Jaccard loss's convention for two empty sets.
    func testSetsCompareWithTheEmptySet() throws {
        let ordering = #"m_{\pi(1)} \ge m_{\pi(2)} \ge \cdots"#
        let jaccard = #"\Delta(S) = \begin{cases} 0, & G \cup S = \emptyset \\ 1 - \frac{|G \setminus S|}{|G \cup S|}, & \text{otherwise} \end{cases}"#
        for labels in [[0.0, 0, 0, 0, 0], [0, 1, 0, 0, 1]] {
            let g = BoundValue.array(try BoundArray(axes: ["i"], extents: [5], values: labels))
            let foreground = Set(labels.indices.filter { labels[$0] == 1 }.map { $0 + 1 })
            for k in 0...2 {
                let set = Set(decreasing.prefix(k))
                let expected = foreground.union(set).isEmpty ? 0
                    : 1 - Double(foreground.subtracting(set).count) / Double(foreground.union(set).count)
                let formulas = [#"y = \Delta(\{\pi(1), \dots, \pi(k)\}), \quad "# + ordering, jaccard, #"G = \{ i : g_i = 1 \}"#]
                XCTAssertEqual(try value(formulas, ["m": m, "g": g, "k": .scalar(Double(k))]), expected)
                let empty = [#"y = \{\pi(1), \dots, \pi(k)\} \ne \emptyset, \quad "# + ordering]
                XCTAssertEqual(try value(empty, ["m": m, "k": .scalar(Double(k))]), k > 0 ? 1 : 0)
            }
        }
    }

    func testAVectorOfAnIndexArgumentIsPassedByName() throws {
        // m_i(c) = |g_{c,i} - p_{c,i}|: the vector m(c) over i; f sums the vector it is given.
        let p = BoundValue.array(try BoundArray(axes: ["c", "i"], extents: [2, 3], values: [0.1, 0.2, 0.3, 0.9, 0.8, 0.7]))
        let g = BoundValue.array(try BoundArray(axes: ["c", "i"], extents: [2, 3], values: [1, 0, 0, 0, 1, 1]))
        let formulas = [#"y = f(m(2)), \qquad m_i(c) = |g_{c,i} - p_{c,i}|, \qquad f(u) = \sum_i u_i"#]
        let expected = (0..<3).reduce(0.0) { $0 + abs(g.arrayValues[3 + $1] - p.arrayValues[3 + $1]) }
        XCTAssertEqual(try value(formulas, ["p": p, "g": g], axes: ["c", "i"]), expected, accuracy: 1e-12)
    }

    func testAnIndexedFunctionIsReadAtAnIndexAndAnArgument() throws {
        // m_j(c) of m_i(c) = |g_{c,i} - p_{c,i}|: the element at index j of the vector m(c).
        let p = BoundValue.array(try BoundArray(axes: ["c", "i"], extents: [2, 3], values: [0.1, 0.2, 0.3, 0.9, 0.8, 0.7]))
        let g = BoundValue.array(try BoundArray(axes: ["c", "i"], extents: [2, 3], values: [1, 0, 0, 0, 1, 1]))
        for (c, j) in [(1, 1), (2, 3), (1, 2)] {
            let formulas = [#"y = m_j(c), \qquad m_i(c) = |g_{c,i} - p_{c,i}|"#]
            let flat = (c - 1) * 3 + (j - 1)
            XCTAssertEqual(try value(formulas, ["p": p, "g": g, "c": .scalar(Double(c)), "j": .scalar(Double(j))], axes: ["c", "i"]),
                           abs(g.arrayValues[flat] - p.arrayValues[flat]), accuracy: 1e-12, "m_\(j)(\(c))")
        }
        // Ties counted through it: how many elements of m(2) equal its third.
        let m2 = (0..<3).map { abs(g.arrayValues[3 + $0] - p.arrayValues[3 + $0]) }
        let ties = [#"y = \sum_{j=1}^{3} [m_j(2) = m_3(2)], \qquad m_i(c) = |g_{c,i} - p_{c,i}|"#]
        XCTAssertEqual(try value(ties, ["p": p, "g": g], axes: ["c", "i"]), Double(m2.filter { $0 == m2[2] }.count))
    }

    func testMistakesAreErrorsThatSayWhatToWrite() throws {
        let values = ["m": m, "k": BoundValue.scalar(2)]
        func message(_ formulas: [String]) -> String {
            do {
                _ = try value(formulas, values)
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        XCTAssertTrue(message([#"y = |\{\pi(1), \dots, \pi(k)\}|"#]).contains(#"'\pi' is not an ordering"#))
        XCTAssertTrue(message([#"y = 1, \quad m_{\pi(1)} \ge m_{\pi(2)} \le \cdots"#]).contains("one relation throughout"))
        XCTAssertTrue(message([#"y = 1, \quad m_{\pi(1)} \ge m_{\pi(3)} \ge \cdots"#]).contains("in turn"))
        XCTAssertTrue(message([#"y = |\{\pi(2), \dots, \pi(k)\}|, \quad m_{\pi(1)} \ge m_{\pi(2)} \ge \cdots"#]).contains("must run from"))
        XCTAssertTrue(message([#"y = \{\pi(1), \dots, \pi(k)\}, \quad m_{\pi(1)} \ge m_{\pi(2)} \ge \cdots"#]).contains("a set has no value"))
        XCTAssertTrue(message([#"y = \pi(9), \quad m_{\pi(1)} \ge m_{\pi(2)} \ge \cdots"#]).contains("outside 1…5"))
    }
}

private extension BoundValue {
    var arrayValues: [Double] {
        if case let .array(array) = self { return array.values }
        return []
    }
}
