// Search over <lang>/search-index.js (window.LOSSBOOK_SEARCH), in the browser, offline too.
// Progressive enhancement: without JavaScript there is no search box and nothing else changes.
(function () {
  var input = document.querySelector("input.search");
  var box = document.querySelector(".search-results");
  var pages = window.LOSSBOOK_SEARCH;
  if (!input || !box || !pages) return;
  var root = input.getAttribute("data-root") || "";
  var none = input.getAttribute("data-none") || "";
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }
  function snippet(text, term) {
    var at = text.toLowerCase().indexOf(term);
    if (at < 0) return text.slice(0, 120);
    var start = Math.max(0, at - 50);
    return (start > 0 ? "…" : "") + text.slice(start, at + 90) + "…";
  }
  function search(query) {
    var terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!terms.length) { box.hidden = true; box.innerHTML = ""; return; }
    var results = [];
    pages.forEach(function (page) {
      var title = page.t.toLowerCase(), text = page.x.toLowerCase(), score = 0, anchor = null, all = true;
      terms.forEach(function (term) {
        var s = 0;
        if (title.indexOf(term) >= 0) s += 10;
        page.h.forEach(function (h) {
          if (h.t.toLowerCase().indexOf(term) >= 0) { s += 4; if (!anchor) anchor = h; }
        });
        if (text.indexOf(term) >= 0) s += 1;
        if (!s) all = false;
        score += s;
      });
      if (all) results.push({ page: page, score: score, anchor: anchor });
    });
    results.sort(function (a, b) { return b.score - a.score; });
    box.innerHTML = results.slice(0, 12).map(function (r) {
      var url = root + r.page.u + (r.anchor ? "#" + r.anchor.a : "");
      return '<a href="' + esc(url) + '"><strong>' + esc(r.page.t) + "</strong>" +
        (r.anchor ? " › " + esc(r.anchor.t) : "") + "<span>" + esc(snippet(r.page.x, terms[0])) + "</span></a>";
    }).join("") || "<p>" + esc(none) + "</p>";
    box.hidden = false;
  }
  input.addEventListener("input", function () { search(input.value); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { input.value = ""; search(""); input.blur(); }
    if (event.key === "Enter") { var first = box.querySelector("a"); if (first) location.href = first.href; }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "/" && document.activeElement !== input) { event.preventDefault(); input.focus(); }
  });
  document.addEventListener("click", function (event) {
    if (!box.contains(event.target) && event.target !== input) box.hidden = true;
  });
})();
