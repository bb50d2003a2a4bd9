// A "Print" button (data-print) opens the browser's print dialog; static/css/print.css lays the page out on A4.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-print]");
    if (!button) return;
    event.preventDefault();
    window.print();
  });
})();
