// The page list of this language, shared by all its pages (written by lossbook).
(function (script) {
  var list = script.parentNode, root = script.getAttribute("data-root") || "", here = script.getAttribute("data-page");
  script.insertAdjacentHTML("beforebegin", "<li><a href=\"en/index.html\">Home</a></li>\n<li><a href=\"en/focal/index.html\">Focal loss</a></li>\n");
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
