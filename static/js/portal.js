// Move focus to the error summary when a form comes back with errors, so screen readers announce it.
(function () {
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
// Print buttons are hidden without JavaScript (the browser's own Print works there).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
// Printed summaries include the signed texts, which are folded away on screen.
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details.portal-signed-text").forEach(function (d) { d.open = true; });
});
