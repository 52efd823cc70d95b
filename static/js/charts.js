// Charts of the pipeline dashboards (Chart.js). The page passes its figures with json_script
// (the CSP forbids inline scripts) and every chart has the same figures in a table beside it.
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var lang = document.documentElement.lang || "zh-hans";
  var money = new Intl.NumberFormat(lang, { style: "currency", currency: "CNY", maximumFractionDigits: 0 });
  var compact = new Intl.NumberFormat(lang, { notation: "compact", maximumFractionDigits: 1 });
  var colours = ["#b3261e", "#e0a100", "#2e7d32", "#1565c0", "#6a1b9a"];
  var sources = {};

  function data(id) {
    if (!(id in sources)) {
      var element = document.getElementById(id);
      sources[id] = element ? JSON.parse(element.textContent) : {};
    }
    return sources[id];
  }

  function draw(canvas) {
    var spec = data(canvas.dataset.source)[canvas.dataset.chart];
    if (!spec || !spec.labels || !spec.labels.length) { canvas.closest(".pipe-chart").hidden = true; return; }
    var horizontal = !!spec.horizontal;
    var valueAxis = {
      beginAtZero: true,
      ticks: { callback: function (value) { return "¥" + compact.format(value); } }
    };
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (series, index) {
          return {
            label: series.label,
            data: series.data,
            backgroundColor: series.colour || colours[index % colours.length],
            borderRadius: 3
          };
        })
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        responsive: true,
        animation: false,
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 12 } },
          tooltip: {
            callbacks: {
              label: function (context) {
                var value = horizontal ? context.parsed.x : context.parsed.y;
                return context.dataset.label + ": " + (value === null ? "—" : money.format(value));
              }
            }
          }
        },
        scales: horizontal ? { x: valueAxis } : { y: valueAxis }
      }
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
