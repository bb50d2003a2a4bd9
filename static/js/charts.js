// Draws the dashboard charts from the JSON block the page carries (no inline script; CSP-safe).
(function () {
  "use strict";
  function draw() {
    const block = document.getElementById("dashboard-data");
    if (!block || typeof Chart === "undefined") return;
    const data = JSON.parse(block.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      const series = data[canvas.dataset.chart];
      if (!series) return;
      const kind = canvas.dataset.kind;
      const chart = new Chart(canvas, {
        type: kind,
        data: {
          labels: series.labels,
          datasets: [{ label: canvas.dataset.label, data: series.values, borderWidth: 1 }],
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          indexAxis: kind === "bar" && series.labels.length > 8 ? "y" : "x",
          plugins: { legend: { display: kind === "doughnut" } },
          onClick: function (_event, elements) {
            // Drill down: a bar of an agency opens that agency's sheet.
            if (series.links && elements.length) window.location = series.links[elements[0].index];
          },
        },
      });
      canvas.dataset.drawn = "1";
      return chart;
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
