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

  // The server answered but could not save (database restarting: 503 with a plain-text reason):
  // the same as a lost connection, and the reason is shown in the banner.
  function serverUnavailable(event) {
    const xhr = event.detail.xhr;
    if (!xhr || xhr.status < 500) return;
    keepAndRetry(event);
    const detail = document.getElementById("unsaved-detail");
    const type = xhr.getResponseHeader("Content-Type") || "";
    if (detail && type.indexOf("text/plain") === 0) detail.textContent = " " + xhr.responseText;
  }

  // An upload refused for its size (413) before the server read it: the reason goes above the form,
  // which keeps what was chosen and typed. Only its text is taken from the fragment.
  function uploadRefused(event) {
    const xhr = event.detail.xhr;
    const form = event.detail.elt;
    if (!xhr || xhr.status !== 413 || !form) return;
    const text = new DOMParser().parseFromString(xhr.responseText, "text/html").body.textContent.trim();
    let alert = form.previousElementSibling;
    if (!alert || !alert.classList.contains("upload-refused")) {
      alert = document.createElement("div");
      alert.className = "alert alert-danger upload-refused";
      alert.setAttribute("role", "alert");
      form.parentNode.insertBefore(alert, form);
    }
    alert.textContent = text;
  }

  document.addEventListener("htmx:responseError", uploadRefused);
  document.addEventListener("htmx:sendError", keepAndRetry);
  document.addEventListener("htmx:responseError", serverUnavailable);
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
