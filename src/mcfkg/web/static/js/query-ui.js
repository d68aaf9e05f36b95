// The query UI: YASGUI against our /sparql, our prefixes, the example questions, links back to our pages.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("ui-config").textContent);
  var root = document.getElementById("yasgui");
  if (!root || typeof Yasgui !== "function") return;

  var prologue = Object.keys(config.prefixes).map(function (p) {
    return "PREFIX " + p + ": <" + config.prefixes[p] + ">";
  }).join("\n");
  var starter = prologue + "\n\nSELECT ?entity ?label WHERE {\n  ?entity rdfs:label ?label .\n  FILTER(STRSTARTS(STR(?entity), STR(mcfid:)))\n}\nORDER BY ?label\nLIMIT 50\n";

  if (window.McfkgChartPlugin) Yasgui.Yasr.registerPlugin("chart", window.McfkgChartPlugin);
  // Nothing leaves this server: no prefix.cc or LOV look-ups, no endpoint catalogue but ours.
  Yasgui.Yasqe.defaults.autocompleters = ["variables"];

  var yasgui = new Yasgui(root, {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; } },
    yasqe: { value: starter, prefixCcApi: null, autocompleters: ["variables"], collapsePrefixesOnLoad: true },
    yasr: { prefixes: config.prefixes, pluginOrder: ["table", "response", "chart"], defaultPlugin: "table" },
    populateFromUrl: true
  });
  window.mcfkgYasgui = yasgui;

  // IRIs under our base open their page on this server, not at the canonical host.
  var base = config.prefixes.mcf.replace(/def\/$/, "");
  function localiseLinks(yasr) {
    yasr.resultsEl.querySelectorAll("a[href^='" + base + "']").forEach(function (a) {
      a.setAttribute("href", "/" + a.getAttribute("href").slice(base.length));
      a.removeAttribute("target");
    });
  }
  function watch(tab) {
    var yasr = tab.getYasr();
    if (yasr && !yasr.__mcfkg) { yasr.__mcfkg = true; yasr.on("drawn", function () { localiseLinks(yasr); }); }
  }
  Object.keys(yasgui._tabs).forEach(function (id) { watch(yasgui.getTab(id)); });
  yasgui.on("tabSelect", function (instance, id) { setTimeout(function () { watch(yasgui.getTab(id)); }, 0); });
  yasgui.on("query", function (instance, tab) { watch(tab); });

  var byName = {};
  config.examples.forEach(function (e) { byName[e.name] = e; });
  document.querySelectorAll("a.example").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var example = byName[link.getAttribute("data-example")];
      if (!example) return;
      event.preventDefault();
      document.querySelectorAll("a.example.active").forEach(function (a) { a.classList.remove("active"); });
      link.classList.add("active");
      var tab = yasgui.getTab();
      tab.setName(example.title.slice(0, 40));
      tab.setQuery(example.query);
      watch(tab);
      tab.query();
    });
  });
})();
