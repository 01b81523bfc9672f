import Foundation

/// The page list of one language as one script (`<lang>/nav.js`), shared by all its pages,
/// for themes whose page template names `{{navScript}}`.
///
/// Copying the list into every page made a site grow with pages²: at 4,000 pages a language
/// it was 116 KB of each 143 KB page, and most of the theme stage's time. Each page now loads
/// the same file (cached by the browser) with a `<script>` inside its list, where the script
/// inserts the items before itself while the page is parsed, so the list is there before first
/// paint. A `<script>` (not `fetch`) works from `file://` too. The page's own item is marked the
/// way `nav-item.mustache` marks it (`aria-current="page"`, `class="current"` on its `<li>`),
/// and child lists (the reference pages) are kept only under the current section. Without
/// JavaScript the theme's `<noscript>` links to the language's home page, which keeps the whole
/// list in its HTML.
///
/// Items link from the site root (`zh/focal/index.html`); the script element's `data-root`
/// (`../../`) makes them relative to the page, and `data-page` names the page's own path.
enum NavigationScript {
    /// Where a language's list is written, from the site root.
    static func path(language: String) -> String { "\(language)/nav.js" }

    /// - Parameter items: the list's `<li>` items, rendered with `nav-item.mustache`, linking from the site root.
    static func script(items: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let literal = (try? encoder.encode(items)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
        return """
        // The page list of this language, shared by all its pages (written by lossbook).
        (function (script) {
          var list = script.parentNode, root = script.getAttribute("data-root") || "", here = script.getAttribute("data-page");
          script.insertAdjacentHTML("beforebegin", \(literal));
          var links = list.querySelectorAll("a[href]");
          for (var i = 0; i < links.length; i++) {
            var path = links[i].getAttribute("href");
            if (path === here) { links[i].setAttribute("aria-current", "page"); links[i].parentNode.classList.add("current"); }
            links[i].setAttribute("href", root + path);
          }
          var groups = list.querySelectorAll("ul.children");
          for (var j = 0; j < groups.length; j++) {
            if (!groups[j].parentNode.classList.contains("current") && !groups[j].querySelector("[aria-current]")) groups[j].remove();
          }
        })(document.currentScript);

        """
    }
}
