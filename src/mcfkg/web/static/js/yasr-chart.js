// A YASR result plugin that draws numeric SELECT results as a bar chart with Chart.js (bundled locally:
// YASR's own chart plugin loads Google Charts from the network, which an offline deployment cannot).
// The bars are labelled by the first text column (else the first IRI column). Columns of different
// magnitudes (a count beside an amount in RMB) do not share an axis well, so one numeric column is
// drawn at a time, chosen from a list; "all" draws them together.
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
    var others = vars.filter(function (v) { return numeric.indexOf(v) < 0; });
    var texts = others.filter(function (v) { return rows.every(function (r) { return !r[v] || r[v].type === "literal"; }); });
    var label = texts[0] || others[0] || null;
    // All numbers (?paragraph ?passages): the first column is the key the others were counted by.
    if (!label && numeric.length > 1 && vars[0] === numeric[0]) label = numeric.shift();
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
    if (cols.numeric.length > 1) wrapper.appendChild(this.seriesPicker(cols));
    var frame = document.createElement("div");  // Chart.js sizes the canvas to its parent
    frame.className = "chart-frame";
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    frame.appendChild(canvas);
    wrapper.appendChild(frame);
    this.yasr.resultsEl.appendChild(wrapper);
    this.canvas = canvas;
    this.labels = cols.rows.map(function (r, i) { return cols.label ? self.shortName(r[cols.label]) : String(i + 1); });
    this.plot(cols, [cols.numeric[0]]);
  };

  ChartPlugin.prototype.seriesPicker = function (cols) {
    var self = this;
    var label = document.createElement("label");
    label.className = "chart-series";
    label.textContent = "Plot ";
    var select = document.createElement("select");
    cols.numeric.concat(["all"]).forEach(function (v) {
      var option = document.createElement("option");
      option.value = v;
      option.textContent = v === "all" ? "all numeric columns (one axis)" : "?" + v;
      select.appendChild(option);
    });
    select.addEventListener("change", function () {
      self.plot(cols, select.value === "all" ? cols.numeric : [select.value]);
    });
    label.appendChild(select);
    return label;
  };

  ChartPlugin.prototype.plot = function (cols, series) {
    this.canvas.setAttribute("aria-label", "Bar chart of " + series.join(", ") + (cols.label ? " by " + cols.label : ""));
    if (this.chart) this.chart.destroy();
    this.chart = new Chart(this.canvas, {
      type: "bar",
      data: {
        labels: this.labels,
        datasets: series.map(function (v) {
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
