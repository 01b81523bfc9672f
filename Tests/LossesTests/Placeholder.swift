import XCTest
import Losses
final class SmokeTests: XCTestCase { func testCatalogIdsUnique() { XCTAssertEqual(Set(Catalog.ids).count, Catalog.ids.count) } }
