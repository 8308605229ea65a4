// Dashboards: draws every <canvas data-chart="key"> from the chart specs in #dasbor-data
// (json_script; built by dashboards/charts.py). Loaded as a static file: the
// Content-Security-Policy allows no inline script. The numbers are also in the tables.
(function () {
  "use strict";

  // Numbers and dates in the page's language (<html lang>), as the server formats them.
  var LOCALE = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
  var numberFormat = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 2 });

  function format(value, unit) {
    if (value === null || value === undefined || Number.isNaN(value)) {
      return "–";
    }
    return numberFormat.format(value) + (unit || "");
  }

  // Dashed threshold lines (e.g. WBK 60 %, WBBM 75 %) across the value axis, labelled above the plot.
  var thresholdLines = {
    id: "thresholdLines",
    afterDatasetsDraw: function (chart, args, options) {
      var lines = options.lines || [];
      var horizontal = chart.options.indexAxis === "y";
      var scale = horizontal ? chart.scales.x : chart.scales.y;
      var area = chart.chartArea;
      var ctx = chart.ctx;
      ctx.save();
      lines.forEach(function (line, index) {
        var position = scale.getPixelForValue(line.value);
        ctx.strokeStyle = line.color;
        ctx.lineWidth = 2;
        ctx.setLineDash([6, 4]);
        ctx.beginPath();
        if (horizontal) {
          ctx.moveTo(position, area.top);
          ctx.lineTo(position, area.bottom);
        } else {
          ctx.moveTo(area.left, position);
          ctx.lineTo(area.right, position);
        }
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = line.color;
        ctx.font = "bold 11px system-ui, sans-serif";
        if (horizontal) {
          ctx.textAlign = "center";
          ctx.fillText(line.label, position, area.top - 5 - index * 13);
        } else {
          ctx.textAlign = "right";
          ctx.fillText(line.label, area.right, position - 4);
        }
      });
      ctx.restore();
    }
  };

  // Horizontal bar charts grow with their rows, so long lists of units stay readable.
  function sizeBox(canvas, spec) {
    if (!spec.horizontal) {
      return;
    }
    var perBar = spec.stacked ? 1 : spec.datasets.length;
    var height = 64 + 14 * spec.lines.length;
    spec.labels.forEach(function (lines) {
      height += Math.max(perBar * 12 + 12, lines.length * 13 + 8);
    });
    canvas.parentElement.style.height = height + "px";
  }

  function build(canvas, spec) {
    var valueAxis = spec.horizontal ? "x" : "y";
    var categoryAxis = spec.horizontal ? "y" : "x";
    var scales = {};
    scales[valueAxis] = {
      beginAtZero: true,
      stacked: spec.stacked,
      max: spec.max || undefined,
      ticks: { precision: spec.counts ? 0 : undefined, callback: function (value) { return format(value, spec.unit); } }
    };
    scales[categoryAxis] = { stacked: spec.stacked, ticks: { autoSkip: false } };
    sizeBox(canvas, spec);
    return new window.Chart(canvas, {
      type: spec.kind,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (dataset) {
          return {
            label: dataset.label,
            data: dataset.data,
            backgroundColor: dataset.color,
            borderColor: dataset.color,
            borderWidth: spec.kind === "line" ? 2 : 0,
            pointRadius: 4,
            spanGaps: true,
            maxBarThickness: 16
          };
        })
      },
      options: {
        locale: LOCALE,
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        layout: { padding: { top: spec.horizontal ? 6 + 13 * spec.lines.length : 4, right: 8 } },
        scales: scales,
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.dataset.label + ": " + format(item.parsed[valueAxis], spec.unit);
              }
            }
          },
          thresholdLines: { lines: spec.lines }
        }
      },
      plugins: [thresholdLines]
    });
  }

  function start() {
    var source = document.getElementById("dasbor-data");
    if (!source || !window.Chart) {
      return;
    }
    var charts = JSON.parse(source.textContent).charts || {};
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec = charts[canvas.getAttribute("data-chart")];
      if (spec) {
        build(canvas, spec);
      }
    });
  }

  // Printing: the tables carry the numbers; every folded list of reasons is opened.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.dash-predicate").forEach(function (details) {
      details.open = true;
    });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
