// Progressive enhancement only: the site reads fully without JavaScript.
document.documentElement.classList.add("js");
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
