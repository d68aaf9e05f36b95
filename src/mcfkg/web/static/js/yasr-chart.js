// A YASR result plugin that draws numeric SELECT results as a bar chart with Chart.js (bundled locally:
// YASR's own chart plugin loads Google Charts from the network, which an offline deployment cannot).
// The first non-numeric column gives the bar labels; every numeric column becomes one series.
(function () {
  "use strict";
  var NUMERIC = /#(integer|decimal|double|float|long|int|short|byte|nonNegativeInteger|positiveInteger|unsignedInt|unsignedLong)$/;

  function isNumeric(binding) {
    return binding && binding.type === "literal" && NUMERIC.test(binding.datatype || "");
  }

  function ChartPlugin(yasr) {
    this.yasr = yasr;
    this.priority = 5;
    this.label = "Chart";
    this.helpReference = "https://www.chartjs.org/docs/latest/";
    this.chart = null;
  }

  ChartPlugin.prototype.columns = function () {
    var results = this.yasr.results;
    if (!results || !results.getVariables || !results.getBindings) return null;
    var vars = results.getVariables() || [];
    var rows = results.getBindings() || [];
    if (!rows.length) return null;
    var numeric = vars.filter(function (v) {
      var present = rows.filter(function (r) { return r[v]; });
      return present.length > 0 && present.every(function (r) { return isNumeric(r[v]); });
    });
    if (!numeric.length) return null;
    var label = vars.filter(function (v) { return numeric.indexOf(v) < 0; })[0] || null;
    return { vars: vars, rows: rows, numeric: numeric, label: label };
  };

  ChartPlugin.prototype.canHandleResults = function () { return this.columns() !== null; };

  ChartPlugin.prototype.shortName = function (binding) {
    if (!binding) return "";
    if (binding.type !== "uri") return binding.value;
    var prefixes = this.yasr.getPrefixes ? this.yasr.getPrefixes() : {};
    for (var p in prefixes) {
      if (binding.value.indexOf(prefixes[p]) === 0) return p + ":" + binding.value.slice(prefixes[p].length);
    }
    return binding.value;
  };

  ChartPlugin.prototype.draw = function () {
    var cols = this.columns();
    var self = this;
    var wrapper = document.createElement("div");
    wrapper.className = "chart-plugin";
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", "Bar chart of " + cols.numeric.join(", ") + (cols.label ? " by " + cols.label : ""));
    wrapper.appendChild(canvas);
    this.yasr.resultsEl.appendChild(wrapper);
    var labels = cols.rows.map(function (r, i) { return cols.label ? self.shortName(r[cols.label]) : String(i + 1); });
    if (this.chart) this.chart.destroy();
    this.chart = new Chart(canvas, {
      type: "bar",
      data: {
        labels: labels,
        datasets: cols.numeric.map(function (v) {
          return { label: v, data: cols.rows.map(function (r) { return r[v] ? Number(r[v].value) : null; }) };
        })
      },
      options: { responsive: true, maintainAspectRatio: false, animation: false }
    });
  };

  ChartPlugin.prototype.getIcon = function () {
    var icon = document.createElement("span");
    icon.textContent = "▮▮";
    icon.setAttribute("aria-hidden", "true");
    return icon;
  };

  ChartPlugin.prototype.destroy = function () { if (this.chart) this.chart.destroy(); this.chart = null; };

  window.McfkgChartPlugin = ChartPlugin;
})();
