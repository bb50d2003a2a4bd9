// Draws the dashboard charts from the JSON block the page carries (no inline script; CSP-safe).
// Every bar, point and slice carries its number; value axes start at zero; class colours come from
// the one definition in portal.css (--band-<tone>), named by the tones the server sends.
(function () {
  "use strict";
  const LINK = "#0a58ca";
  const INK = "#212529";
  const number = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });

  function cssColour(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  // Writes each value beside its bar (past its end), above its point, or inside its slice.
  const valueLabels = {
    id: "valueLabels",
    afterDatasetsDraw: function (chart) {
      const ctx = chart.ctx;
      const horizontal = chart.options.indexAxis === "y";
      ctx.save();
      ctx.font = "12px system-ui, sans-serif";
      chart.data.datasets.forEach(function (dataset, i) {
        chart.getDatasetMeta(i).data.forEach(function (element, index) {
          const value = dataset.data[index];
          if (value === null || value === undefined) return;
          const text = number.format(value);
          if (chart.config.type === "doughnut") {
            if (!value) return;
            const at = element.tooltipPosition();
            ctx.fillStyle = "#fff";
            ctx.textAlign = "center";
            ctx.textBaseline = "middle";
            ctx.fillText(text, at.x, at.y);
            return;
          }
          ctx.fillStyle = INK;
          if (horizontal) {
            const negative = value < 0;
            ctx.textAlign = negative ? "right" : "left";
            ctx.textBaseline = "middle";
            ctx.fillText(text, element.x + (negative ? -4 : 4), element.y);
          } else {
            ctx.textAlign = "center";
            ctx.textBaseline = value < 0 ? "top" : "bottom";
            ctx.fillText(text, element.x, element.y + (value < 0 ? 4 : -4));
          }
        });
      });
      ctx.restore();
    },
  };

  function options(kind, series) {
    const horizontal = kind === "bar" && series.labels.length > 8;
    const result = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      indexAxis: horizontal ? "y" : "x",
      layout: { padding: { top: 18, right: horizontal ? 40 : 8, left: 8 } },
      plugins: { legend: { display: kind === "doughnut", position: "bottom" } },
      onClick: function (_event, elements) {
        // Drill down: a bar of an agency opens that agency's sheet.
        if (series.links && elements.length) window.location = series.links[elements[0].index];
      },
    };
    if (kind !== "doughnut") {
      const value = { beginAtZero: true, ticks: { callback: (v) => number.format(v) }, grace: "10%" };
      const category = { ticks: { autoSkip: false, color: INK } };  // every bar keeps its name
      result.scales = horizontal ? { x: value, y: category } : { x: category, y: value };
    }
    return result;
  }

  function dataset(kind, canvas, series) {
    const result = { label: canvas.dataset.label, data: series.values, borderWidth: 1 };
    if (series.tones) {
      result.backgroundColor = series.tones.map((tone) => cssColour("--band-" + tone));
      result.borderColor = "#fff";
    } else {
      result.borderColor = LINK;
      result.backgroundColor = kind === "line" ? LINK : "rgba(10, 88, 202, 0.75)";
      result.pointRadius = 4;
    }
    return result;
  }

  function draw() {
    const block = document.getElementById("dashboard-data");
    if (!block || typeof Chart === "undefined") return;
    const data = JSON.parse(block.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      const series = data[canvas.dataset.chart];
      if (!series) return;
      const kind = canvas.dataset.kind;
      if (kind === "bar" && series.labels.length > 8) {
        // Horizontal bars need a row each so every name stays readable.
        canvas.parentElement.style.height = Math.max(280, series.labels.length * 26 + 60) + "px";
      }
      const chart = new Chart(canvas, {
        type: kind,
        data: { labels: series.labels, datasets: [dataset(kind, canvas, series)] },
        options: options(kind, series),
        plugins: [valueLabels],
      });
      canvas.dataset.drawn = "1";
      return chart;
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
