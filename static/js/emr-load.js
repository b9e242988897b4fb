// While a data load is queued or running, fetch the dashboard every 5 s and swap in the fresh #data-load section.
// Without JavaScript the panel offers a Refresh link: a timed page reload would move screen readers and keyboard users (WCAG 2.2.1).
(function () {
  "use strict";
  var INTERVAL = 5000;
  function poll() {
    var panel = document.getElementById("data-load");
    if (!panel || panel.getAttribute("data-load-active") !== "true" || !window.fetch || !window.DOMParser) return;
    fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("data-load");
        if (!fresh) return;
        if (fresh.getAttribute("data-load-active") === "true") {
          panel.replaceWith(fresh);
          window.setTimeout(poll, INTERVAL);
        } else {
          window.location.reload(); // finished: reload so the scores panel appears as well
        }
      })
      .catch(function () { window.setTimeout(poll, INTERVAL * 3); });
  }
  window.setTimeout(poll, INTERVAL);
})();
