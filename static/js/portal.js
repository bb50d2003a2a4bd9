// DVCQ Portal behaviour. Loaded with defer; no inline scripts, so a strict CSP holds.
(function () {
  "use strict";
  const unsaved = new Set();
  const banner = () => document.getElementById("unsaved-banner");

  function showBanner() {
    const el = banner();
    if (el) el.classList.toggle("d-none", unsaved.size === 0);
  }

  // A save that never reached the server (slow or lost network, timeout) leaves the typed value
  // in its box: mark the row, warn before leaving the page, and send it again a bit later.
  function keepAndRetry(event) {
    const source = event.detail.elt;
    const row = source && source.closest("tr");
    if (!row) return;
    row.classList.add("table-warning");
    row.dataset.unsaved = "1";
    unsaved.add(source);
    showBanner();
    window.setTimeout(function () {
      if (document.body.contains(source)) htmx.trigger(source, "change");
    }, 5000);
  }

  document.addEventListener("htmx:sendError", keepAndRetry);
  document.addEventListener("htmx:timeout", keepAndRetry);
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) {
      unsaved.delete(event.detail.elt);
      showBanner();
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (unsaved.size > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
