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
  // Result cells show a literal's value ("12", not "12"^^xsd:integer); its datatype or language is on hover.
  var Table = Yasgui.Yasr.plugins.table;
  if (Table) Table.prototype.formatLiteral = function (binding, prefixes) {
    var span = document.createElement("span");
    span.textContent = binding.value;
    if (binding["xml:lang"]) {
      span.lang = binding["xml:lang"];
      span.title = "language: " + binding["xml:lang"];
    } else if (binding.datatype) {
      span.title = "datatype: " + shorten(binding.datatype, prefixes || {});
    }
    return span.outerHTML;
  };
  function shorten(iri, prefixes) {
    for (var p in prefixes) if (iri.indexOf(prefixes[p]) === 0) return p + ":" + iri.slice(prefixes[p].length);
    return iri;
  }
  // Nothing leaves this server: no prefix.cc or LOV look-ups, no endpoint catalogue but ours.
  Yasgui.Yasqe.defaults.autocompleters = ["variables"];

  // YASGUI needs an absolute endpoint: its error view calls new URL(endpoint), which throws on "/sparql".
  function absolute(url) { return new URL(url, window.location.href).href; }
  var endpoint = absolute(config.endpoint);
  var yasgui = new Yasgui(root, {
    // Keyboard users start at the top of the page (skip link first), not inside the editor.
    autofocus: false,
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: {
      value: starter, prefixCcApi: null, autocompleters: ["variables"], collapsePrefixesOnLoad: true,
      // CodeMirror options: Tab and Shift-Tab move focus instead of indenting (the editor is no keyboard trap);
      // a contenteditable input lies inside the scrolled area, so the area is reachable by keyboard and read out.
      autofocus: false, extraKeys: { Tab: false, "Shift-Tab": false },
      inputStyle: "contenteditable", screenReaderLabel: "SPARQL query"
    },
    yasr: { prefixes: config.prefixes, pluginOrder: ["table", "response", "chart"], defaultPlugin: "table" },
    populateFromUrl: true
  });
  window.mcfkgYasgui = yasgui;
  document.getElementById("editor-keys").hidden = false;  // the keys it names work only in YASGUI
  // Tabs saved in localStorage by an earlier visit may still hold the relative endpoint.
  Object.keys(yasgui._tabs).forEach(function (id) {
    var tab = yasgui.getTab(id);
    if (tab.getEndpoint() && absolute(tab.getEndpoint()) !== tab.getEndpoint()) tab.setEndpoint(absolute(tab.getEndpoint()));
  });

  // YASGUI leaves some controls unnamed or in the wrong role for screen readers. It redraws them
  // (new tab, new results), so the repair runs again whenever its DOM changes; it only sets attributes.
  function repairControls() {
    root.querySelectorAll("input.autocomplete:not([aria-label])").forEach(function (input) {
      input.setAttribute("aria-label", "SPARQL endpoint");
    });
    root.querySelectorAll(".CodeMirror-code[contenteditable=true]:not([aria-describedby])").forEach(function (input) {
      input.setAttribute("aria-describedby", "editor-keys");
    });
    // Its "+" button sits in the tab list, where only tabs may be; YASGUI's arrow keys treat it as the last tab.
    root.querySelectorAll(".tabsList button.addTab:not([role])").forEach(function (button) {
      button.setAttribute("role", "tab");
    });
    root.querySelectorAll("select.tableSizer:not([aria-label])").forEach(function (select) {
      select.setAttribute("aria-label", "Page size");
    });
  }
  repairControls();
  new MutationObserver(repairControls).observe(root, { childList: true, subtree: true });

  // IRIs under our base open their page on this server, not at the canonical host.
  var base = config.base;
  function localiseLinks(yasr) {
    yasr.resultsEl.querySelectorAll("a[href^='" + base + "']").forEach(function (a) {
      a.setAttribute("href", config.root + "/" + a.getAttribute("href").slice(base.length));
      a.removeAttribute("target");
    });
  }
  function watch(tab) {
    var yasr = tab.getYasr(), yasqe = tab.getYasqe();
    if (yasr && !yasr.__mcfkg) { yasr.__mcfkg = true; yasr.on("drawn", function () { localiseLinks(yasr); }); }
    if (yasqe && !yasqe.__mcfkg) { yasqe.__mcfkg = true; yasqe.on("change", function () { forgetExample(tab); }); }
  }
  Object.keys(yasgui._tabs).forEach(function (id) { watch(yasgui.getTab(id)); });
  yasgui.on("tabSelect", function (instance, id) { setTimeout(function () { watch(yasgui.getTab(id)); }, 0); });
  yasgui.on("query", function (instance, tab) { watch(tab); });

  var byName = {};
  config.examples.forEach(function (e) { byName[e.name] = e; });
  function tabTitle(example) { return example.title.slice(0, 40); }
  // A tab named after an example whose query has been edited away from it is no longer that example.
  function forgetExample(tab) {
    var example = config.examples.filter(function (e) { return tabTitle(e) === tab.getName(); })[0];
    if (!example || tab.getYasqe().getValue() === example.query.replace(/\r\n?/g, "\n")) return;
    tab.setName(yasgui.createTabName());
    document.querySelectorAll("a.example.active").forEach(function (a) { a.classList.remove("active"); });
  }
  function run(name) {
    var example = byName[name];
    if (!example) return false;
    document.querySelectorAll("a.example").forEach(function (a) {
      a.classList.toggle("active", a.getAttribute("data-example") === name);
    });
    var tab = yasgui.getTab();
    tab.setName(tabTitle(example));
    tab.setQuery(example.query);
    watch(tab);
    tab.query();
    return true;
  }
  document.querySelectorAll("a.example").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (run(link.getAttribute("data-example"))) {
        event.preventDefault();
        history.replaceState(null, "", link.getAttribute("href"));
      }
    });
  });
  var chosen = new URLSearchParams(window.location.search).get("example");
  if (chosen) run(chosen);
})();
