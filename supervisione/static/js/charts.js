// The charts of the monitoring dashboards, drawn by Chart.js (vendored from npm, served by us). No inline
// script: each <canvas data-chart="ID"> reads its figures from the JSON element ID written by json_script.
// Every chart has a table with the same figures on the page, for screen readers and for exports.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") {
    return;
  }
  var COLORS = {
    plan: "#5d7083",
    minimum: "#a66300",
    booked: "#80b3e6",
    delivered: "#0066cc",
    awaiting: "#7a4fb8",
    missing: "#d9364f",
    met: "#008055",
    on_track: "#0066cc",
    at_risk: "#cc7a00",
    behind: "#d9364f"
  };

  function formatted(value, unit) {
    if (value === null || value === undefined) {
      return "–";
    }
    var text = Number(value).toLocaleString("it-IT", { maximumFractionDigits: 2 });
    if (unit === "euro") {
      return text + " €";
    }
    if (unit === "ore") {
      return text + " h";
    }
    return text;
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var horizontal = spec.kind === "hbar";
    var line = spec.kind === "line";
    var datasets = spec.series.map(function (series) {
      var color = COLORS[series.color] || COLORS.delivered;
      return {
        label: series.label,
        data: series.data,
        borderColor: color,
        backgroundColor: color,
        borderDash: series.dashed ? [6, 4] : [],
        borderWidth: line ? 2 : 0,
        pointRadius: line ? 3 : 0,
        fill: false,
        spanGaps: false
      };
    });
    if (horizontal) {
      canvas.parentElement.style.height = Math.max(180, 70 + spec.labels.length * 36) + "px";
    }
    var valueAxis = {
      stacked: Boolean(spec.stacked),
      beginAtZero: true,
      ticks: {
        callback: function (value) {
          return formatted(value, spec.unit);
        }
      }
    };
    var labelAxis = { stacked: Boolean(spec.stacked) };
    new window.Chart(canvas, {
      type: line ? "line" : "bar",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: horizontal ? "y" : "x",
        scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (context) {
                var value = horizontal ? context.parsed.x : context.parsed.y;
                return context.dataset.label + ": " + formatted(value, spec.unit);
              }
            }
          }
        }
      }
    });
  });
})();
