import XCTest
import Losses
/// Loss ids are what authors type: each names exactly one loss.
final class CatalogIdentityTests: XCTestCase {
    func testCatalogIdsAreUnique() { XCTAssertEqual(Set(Catalog.ids).count, Catalog.ids.count) }
}
