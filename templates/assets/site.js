// Progressive enhancement only: the site reads fully without JavaScript (the page list then
// follows the article on narrow screens, and there is no menu button).
document.documentElement.classList.add("js");

// Copy buttons on code blocks.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("button.copy");
  if (!button) return;
  var code = button.parentElement.querySelector("code");
  if (!code || !navigator.clipboard) return;
  navigator.clipboard.writeText(code.innerText).then(function () {
    button.classList.add("done");
    setTimeout(function () { button.classList.remove("done"); }, 1500);
  });
});

// The menu button opens the page list and this page's contents as a drawer on narrow screens.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector("button.nav-button");
  var drawer = document.getElementById("sidebar");
  if (!button || !drawer) return;
  function set(open, focus) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    document.body.classList.toggle("drawer-open", open);
    if (open && focus) {
      var current = drawer.querySelector("[aria-current=page]") || drawer.querySelector("a");
      if (current) current.focus({ preventScroll: true });
    }
  }
  button.addEventListener("click", function () { set(button.getAttribute("aria-expanded") !== "true", true); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && document.body.classList.contains("drawer-open")) { set(false); button.focus(); }
  });
  drawer.addEventListener("click", function (event) {
    // A link to a section of this page closes the drawer so the section shows.
    var link = event.target.closest && event.target.closest("a[href^='#']");
    if (link) set(false);
  });
  document.addEventListener("click", function (event) {
    if (document.body.classList.contains("drawer-open") && !drawer.contains(event.target) && !button.contains(event.target)) set(false);
  });
});

// An inline formula that cannot break and is wider than the article scrolls on its own (.wide).
(function () {
  function mark() {
    var article = document.querySelector("article");
    if (!article) return;
    var width = article.clientWidth;
    article.querySelectorAll(".katex").forEach(function (formula) {
      if (formula.closest(".katex-display, table")) return;
      formula.classList.remove("wide");
      if (formula.getBoundingClientRect().width > width + 1) formula.classList.add("wide");
    });
  }
  var timer;
  document.addEventListener("DOMContentLoaded", mark);
  // Widths change once KaTeX's fonts arrive.
  window.addEventListener("load", mark);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(mark);
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(mark, 150); });
})();
