// Charts of the dashboards (Chart.js). The page passes its chart specs with json_script (the CSP
// forbids inline scripts) and every chart has the same figures in a table beside it. A spec is
// built in Python next to its figures, labels already translated:
//
//   labels      the categories; a label may be a list of lines (["Move 1", "n=40"])
//   unit        money (the default) | percent | count | days | score: ticks and tooltips
//   horizontal  bars along the x axis, for long labels; the chart grows with its rows
//   max         the value axis' maximum (100 for a percentage)
//   axes        {x: title, y: title}
//   notes       per category, lines added to its tooltip (how many deals, median days, …)
//   legend      false: no legend (one series, or a key in the page explains the colours)
//   scatter     true: points {x, y} on two value axes instead of categories
//   series      [{label, data, colour, small, marks, notes, line, dashed, behind}]:
//               data are numbers, or [low, high] pairs drawn as floating bars (an interval)
//               with `marks` (the point estimates) drawn across them; in a scatter, points
//               with their `notes`, `line` joining them (the diagonal); `colour` is one colour
//               or one per category; `small`, per category, true for a sample too small to
//               tell: its bar is hatched; `behind`: a wide pale bar behind the others (a cap).
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var lang = document.documentElement.lang || "zh-hans";
  var compact = new Intl.NumberFormat(lang, { notation: "compact", maximumFractionDigits: 1 });
  var formats = {
    money: new Intl.NumberFormat(lang, { style: "currency", currency: "CNY", currencyDisplay: "narrowSymbol", maximumFractionDigits: 0 }),
    percent: new Intl.NumberFormat(lang, { style: "unit", unit: "percent", maximumFractionDigits: 1 }),
    count: new Intl.NumberFormat(lang, { maximumFractionDigits: 0 }),
    days: new Intl.NumberFormat(lang, { style: "unit", unit: "day", unitDisplay: "long", maximumFractionDigits: 1 }),
    score: new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 3 })
  };
  var ticks = {
    money: function (value) { return "¥" + compact.format(value); },
    score: function (value) { return formats.score.format(value); }
  };
  var colours = ["#b3261e", "#e0a100", "#2e7d32", "#1565c0", "#6a1b9a"];
  var INK = "#212529";
  var sources = {};

  function data(id) {
    if (!(id in sources)) {
      var element = document.getElementById(id);
      sources[id] = element ? JSON.parse(element.textContent) : {};
    }
    return sources[id];
  }

  function unitOf(spec) { return formats[spec.unit] ? spec.unit : "money"; }

  function show(spec, value) {
    return value === null || value === undefined ? "—" : formats[unitOf(spec)].format(value);
  }

  // Diagonal stripes of the colour (#rrggbb) on a pale ground: a small sample (a key in the
  // page says so).
  function hatch(colour) {
    var tile = document.createElement("canvas");
    tile.width = tile.height = 8;
    var pen = tile.getContext("2d");
    pen.fillStyle = colour + "33";
    pen.fillRect(0, 0, 8, 8);
    pen.strokeStyle = colour;
    pen.lineWidth = 2;
    pen.beginPath();
    [[-2, 2, 2, -2], [0, 8, 8, 0], [6, 10, 10, 6]].forEach(function (line) {
      pen.moveTo(line[0], line[1]);
      pen.lineTo(line[2], line[3]);
    });
    pen.stroke();
    return pen.createPattern(tile, "repeat");
  }

  // The point estimate of an interval, drawn across its floating bar.
  var marks = {
    id: "marks",
    afterDatasetsDraw: function (chart) {
      var pen = chart.ctx;
      var horizontal = chart.options.indexAxis === "y";
      chart.data.datasets.forEach(function (dataset, index) {
        if (!dataset.marks || !chart.isDatasetVisible(index)) { return; }
        var meta = chart.getDatasetMeta(index);
        var scale = chart.scales[meta.vAxisID];
        meta.data.forEach(function (bar, i) {
          var value = dataset.marks[i];
          if (value === null || value === undefined) { return; }
          var at = scale.getPixelForValue(value);
          var box = bar.getProps(["x", "y", "width", "height"], true);
          var half = (horizontal ? box.height : box.width) / 2 + 2;
          pen.save();
          pen.beginPath();
          if (horizontal) { pen.moveTo(at, box.y - half); pen.lineTo(at, box.y + half); }
          else { pen.moveTo(box.x - half, at); pen.lineTo(box.x + half, at); }
          // ink on a white halo: visible on any bar colour
          pen.strokeStyle = "#fff";
          pen.lineWidth = 6;
          pen.stroke();
          pen.strokeStyle = INK;
          pen.lineWidth = 3;
          pen.stroke();
          pen.restore();
        });
      });
    }
  };

  function dataset(spec, series, index) {
    var colour = series.colour || colours[index % colours.length];
    var drawn = { label: series.label, data: series.data, marks: series.marks, notes: series.notes };
    if (spec.scatter) {
      return Object.assign(drawn, {
        backgroundColor: colour,
        borderColor: colour,
        showLine: !!series.line,
        borderDash: series.dashed ? [6, 4] : [],
        pointStyle: series.line ? "line" : "circle",
        pointRadius: series.line ? 0 : 5,
        pointHitRadius: series.line ? 0 : 8,
        clip: 8  // a point on the edge (0% or 100%) is drawn whole
      });
    }
    var paint = spec.labels.map(function (label, i) { return Array.isArray(colour) ? colour[i] : colour; });
    Object.assign(drawn, {
      backgroundColor: paint.map(function (c, i) { return series.small && series.small[i] ? hatch(c) : c; }),
      borderColor: paint,
      borderWidth: series.small || series.marks ? 1 : 0,
      borderRadius: series.marks ? 0 : 3,
      maxBarThickness: 36,
      order: series.behind ? 1 : 0
    });
    if (spec.series.some(function (s) { return s.behind; })) {
      // A cap behind its value: one wide pale bar per category, the value narrower in front.
      drawn.grouped = false;
      drawn.barPercentage = series.behind ? 0.9 : 0.5;
      drawn.maxBarThickness = series.behind ? 36 : 18;
    }
    return drawn;
  }

  // A horizontal chart is as high as its rows (and their label lines) need.
  function fitRows(canvas, spec) {
    var lines = Math.max.apply(null, spec.labels.map(function (label) {
      return Array.isArray(label) ? label.length : 1;
    }));
    var rows = spec.labels.length * (14 * lines + 12);
    canvas.closest(".pipe-chart").style.height = Math.max(rows + 70, 140) + "px";
  }

  // A long label would squeeze the bars: past ~40% of the chart's width its lines are cut (a
  // Chinese character counts twice), and the tooltip has them whole.
  function shorten(chart, label) {
    var room = Math.max(10, Math.floor(chart.width * 0.4 / 7));
    var cut = function (line) {
      var used = 0;
      for (var i = 0; i < line.length; i += 1) {
        used += line.charCodeAt(i) > 0x2e7f ? 2 : 1;
        if (used > room) { return line.slice(0, i - 1) + "…"; }
      }
      return line;
    };
    return Array.isArray(label) ? label.map(cut) : cut(label);
  }

  function valueAxis(spec, title) {
    var unit = unitOf(spec);
    return {
      beginAtZero: true,
      max: spec.max,
      title: { display: !!title, text: title },
      ticks: { callback: ticks[unit] || function (value) { return formats[unit].format(value); } }
    };
  }

  function categoryAxis(title, everyRow) {
    return {
      title: { display: !!title, text: title },
      ticks: {
        autoSkip: !everyRow,
        callback: function (value) { return shorten(this.chart, this.getLabelForValue(value)); }
      }
    };
  }

  function label(spec) {
    return function (context) {
      var raw = context.raw;
      var marks = context.dataset.marks;
      var text;
      if (spec.scatter) { text = show(spec, raw.x) + " → " + show(spec, raw.y); }
      else if (Array.isArray(raw)) { text = show(spec, marks ? marks[context.dataIndex] : null) + " (" + show(spec, raw[0]) + "–" + show(spec, raw[1]) + ")"; }
      else { text = show(spec, raw); }
      return context.dataset.label + ": " + text;
    };
  }

  // The lines of a category's label, on one line.
  function title(items) {
    if (!items.length || items[0].chart.config.type === "scatter") { return ""; }
    var label = items[0].chart.data.labels[items[0].dataIndex];
    return Array.isArray(label) ? label.join(" · ") : label;
  }

  function footer(spec) {
    return function (items) {
      if (!items.length) { return ""; }
      var notes = items[0].dataset.notes || (spec.scatter ? null : spec.notes);
      return notes ? notes[items[0].dataIndex] : "";
    };
  }

  function draw(canvas) {
    var spec = data(canvas.dataset.source)[canvas.dataset.chart];
    if (!spec || !spec.labels || !spec.labels.length) { canvas.closest(".pipe-chart").hidden = true; return; }
    var horizontal = !!spec.horizontal;
    var axes = spec.axes || {};
    var scales;
    if (spec.scatter) {
      scales = { x: valueAxis(spec, axes.x), y: valueAxis(spec, axes.y) };
      scales.x.type = "linear";
    } else if (horizontal) {
      fitRows(canvas, spec);
      scales = { x: valueAxis(spec, axes.x), y: categoryAxis(axes.y, true) };
    } else {
      scales = { x: categoryAxis(axes.x), y: valueAxis(spec, axes.y) };
    }
    new Chart(canvas, {
      type: spec.scatter ? "scatter" : "bar",
      data: {
        labels: spec.scatter ? undefined : spec.labels,
        datasets: spec.series.map(function (series, index) { return dataset(spec, series, index); })
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        responsive: true,
        animation: false,
        layout: { padding: spec.scatter ? 8 : 0 },
        interaction: spec.scatter ? { mode: "nearest", intersect: true } : { mode: "index", intersect: false },
        plugins: {
          legend: {
            display: spec.legend !== false,
            position: "bottom",
            labels: spec.scatter ? { boxWidth: 8, boxHeight: 8, usePointStyle: true } : { boxWidth: 12 }
          },
          tooltip: { callbacks: { title: title, label: label(spec), footer: footer(spec) } }
        },
        scales: scales
      },
      plugins: [marks]
    });
  }

  // A chart inside a closed <details> is drawn when it opens (a hidden canvas has no size).
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var closed = canvas.closest("details:not([open])");
    if (!closed) { draw(canvas); return; }
    closed.addEventListener("toggle", function once() {
      closed.removeEventListener("toggle", once);
      draw(canvas);
    });
  });
})();
