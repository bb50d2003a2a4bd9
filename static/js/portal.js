// DVCQ Portal behaviour. Loaded with defer; no inline scripts, so a strict CSP holds.
document.addEventListener("htmx:responseError", function (event) {
  // Keep the user's input: show the server's message beside the field instead of replacing it.
  const target = event.detail.target;
  if (target) {
    target.setAttribute("data-error", "1");
  }
});
