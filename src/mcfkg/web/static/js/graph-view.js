// The neighbourhood graph on entity pages, drawn with Cytoscape.js from the JSON the page embeds.
// Every node and edge shown is also in the page's tables, so the picture is an aid, not the only way in.
(function () {
  "use strict";
  var container = document.getElementById("graph");
  var source = document.getElementById("graph-data");
  if (!container || !source || typeof cytoscape !== "function") return;
  var data = JSON.parse(source.textContent);
  var cy = cytoscape({
    container: container,
    elements: data.nodes.concat(data.edges),
    minZoom: 0.2,
    maxZoom: 1.6,
    style: [
      { selector: "node", style: { "label": "data(label)", "background-color": "#0b5cad", "color": "#1b1f24",
          "font-size": 11, "text-wrap": "wrap", "text-max-width": 140, "text-valign": "bottom", "text-margin-y": 4, "width": 18, "height": 18 } },
      { selector: "node[?centre]", style: { "background-color": "#f0a500", "width": 28, "height": 28, "font-weight": "bold" } },
      { selector: "node[?external]", style: { "background-color": "#8c959f", "shape": "round-rectangle" } },
      { selector: "edge", style: { "label": "data(label)", "curve-style": "bezier", "target-arrow-shape": "triangle", "width": 1.5,
          "line-color": "#8c959f", "target-arrow-color": "#8c959f", "font-size": 9, "color": "#57606a", "text-rotation": "autorotate" } }
    ],
    // A star: the entity in the middle, its neighbours around it.
    layout: { name: "concentric", animate: false, padding: 40, minNodeSpacing: 70,
              concentric: function (node) { return node.data("centre") ? 2 : 1; }, levelWidth: function () { return 1; } }
  });
  cy.on("tap", "node", function (event) {
    var href = event.target.data("href");
    if (href && !event.target.data("centre")) window.location.href = href;
  });
  window.mcfkgGraph = cy;
})();
