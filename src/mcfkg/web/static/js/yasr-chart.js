// A YASR result plugin that draws numeric SELECT results as a bar chart with Chart.js (bundled locally:
// YASR's own chart plugin loads Google Charts from the network, which an offline deployment cannot).
// The bars are labelled by the first text column (else the first IRI column). Columns of different
// magnitudes (a count beside an amount in RMB) do not share an axis well, so one numeric column is
// drawn at a time, chosen from a list; "all" draws them together.
// A lower bound (?lowerBound, ?minSectors: "more than 20") is drawn hatched and named as such, and
// beside the exact values of the rows that have one (?exact, where only a bound is known), so no
// row reads as zero.
(function () {
  "use strict";
  var NUMERIC = /#(integer|decimal|double|float|long|int|short|byte|nonNegativeInteger|positiveInteger|unsignedInt|unsignedLong)$/;
  var LOWER_BOUND = /^(lower|min)/i;
  var COLOURS = ["#0b5cad", "#c26a00", "#2da44e", "#8250df", "#cf222e", "#57606a"];

  // Diagonal stripes of a colour on white: how a lower bound's bar differs from an exact one.
  function hatch(colour) {
    var tile = document.createElement("canvas");
    tile.width = tile.height = 8;
    var g = tile.getContext("2d");
    g.fillStyle = "#fff";
    g.fillRect(0, 0, 8, 8);
    g.strokeStyle = colour;
    g.lineWidth = 2;
    g.beginPath();
    g.moveTo(-2, 10); g.lineTo(10, -2);
    g.moveTo(-2, 2); g.lineTo(2, -2);
    g.moveTo(6, 10); g.lineTo(10, 6);
    g.stroke();
    return g.createPattern(tile, "repeat");
  }

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
    // What can be plotted: an exact column with the lower bounds of the rows it leaves empty, then
    // each other column alone.
    var choices = [], paired = [];
    numeric.filter(function (v) { return LOWER_BOUND.test(v); }).forEach(function (bound) {
      var exact = numeric.filter(function (v) {
        return !LOWER_BOUND.test(v) && paired.indexOf(v) < 0 && rows.every(function (r) { return !(r[v] && r[bound]); });
      })[0];
      if (exact) { choices.push([exact, bound]); paired.push(exact, bound); }
    });
    numeric.forEach(function (v) { if (paired.indexOf(v) < 0) choices.push([v]); });
    return { vars: vars, rows: rows, numeric: numeric, label: label, choices: choices };
  };

  // "more than" or "at least" for a row's lower bound, from its ?bound ("exclusive" or "inclusive").
  function boundWords(row) {
    return row.bound && row.bound.value === "inclusive" ? "at least" : "more than";
  }
  function boundsOf(rows, v) {
    var words = [];
    rows.forEach(function (r) { if (r[v] && words.indexOf(boundWords(r)) < 0) words.push(boundWords(r)); });
    return words.join(" or ");
  }

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
    if (cols.choices.length > 1) wrapper.appendChild(this.seriesPicker(cols));
    var frame = document.createElement("div");  // Chart.js sizes the canvas to its parent
    frame.className = "chart-frame";
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    frame.appendChild(canvas);
    wrapper.appendChild(frame);
    this.yasr.resultsEl.appendChild(wrapper);
    this.canvas = canvas;
    this.labels = cols.rows.map(function (r, i) { return cols.label ? self.shortName(r[cols.label]) : String(i + 1); });
    this.plot(cols, cols.choices[0]);
  };

  ChartPlugin.prototype.seriesPicker = function (cols) {
    var self = this;
    var label = document.createElement("label");
    label.className = "chart-series";
    label.textContent = "Plot ";
    var select = document.createElement("select");
    cols.choices.concat([cols.numeric]).forEach(function (series, i) {
      var option = document.createElement("option");
      option.value = i < cols.choices.length ? series.join(" ") : "all";
      option.textContent = i < cols.choices.length ? "?" + series.join(", or its lower bound ?")
        : "all numeric columns (one axis)";
      select.appendChild(option);
    });
    select.addEventListener("change", function () {
      self.plot(cols, select.value === "all" ? cols.numeric : select.value.split(" "));
    });
    label.appendChild(select);
    return label;
  };

  ChartPlugin.prototype.plot = function (cols, series) {
    var names = series.map(function (v) { return LOWER_BOUND.test(v) ? v + " (lower bounds)" : v; });
    this.canvas.setAttribute("aria-label", "Bar chart of " + names.join(", ") + (cols.label ? " by " + cols.label : ""));
    // Columns that never share a row (an exact value or a bound) share each row's place on the axis.
    var apart = cols.rows.every(function (r) { return series.filter(function (v) { return r[v]; }).length < 2; });
    // Values over several orders of magnitude (40 beside RMB 39.6 billion) go on a log axis, where each shows.
    var positive = [];
    series.forEach(function (v) { cols.rows.forEach(function (r) { if (r[v] && Number(r[v].value) > 0) positive.push(Number(r[v].value)); }); });
    var logScale = positive.length > 1 && Math.max.apply(null, positive) / Math.min.apply(null, positive) > 1000;
    if (this.chart) this.chart.destroy();
    this.chart = new Chart(this.canvas, {
      type: "bar",
      data: {
        labels: this.labels,
        datasets: series.map(function (v, i) {
          var colour = COLOURS[(apart ? 0 : i) % COLOURS.length], lower = LOWER_BOUND.test(v);
          return {
            label: lower ? v + " (lower bound: the value is " + boundsOf(cols.rows, v) + " the bar)" : v,
            lowerBound: lower,
            data: cols.rows.map(function (r) { return r[v] ? Number(r[v].value) : null; }),
            backgroundColor: lower ? hatch(colour) : colour, borderColor: colour, borderWidth: lower ? 2 : 0,
            grouped: !apart, skipNull: true
          };
        })
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: { y: logScale ? { type: "logarithmic", title: { display: true, text: "logarithmic scale" } } : { beginAtZero: true } },
        plugins: { tooltip: { callbacks: { label: function (item) {
          var words = item.dataset.lowerBound ? boundWords(cols.rows[item.dataIndex]) + " " : "";
          return series[item.datasetIndex] + ": " + words + item.formattedValue;
        } } } }
      }
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
