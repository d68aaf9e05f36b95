// The neighbourhood graph on entity pages, drawn with Cytoscape.js from the JSON the page embeds.
// Every node and edge shown is also in the page's tables, so the picture is an aid, not the only way in.
(function () {
  "use strict";
  var container = document.getElementById("graph");
  var source = document.getElementById("graph-data");
  if (!container || !source || typeof cytoscape !== "function") return;
  var data = JSON.parse(source.textContent);
  var MAX_LABEL = 42;  // longer names are cut in the picture; the tables beside it give them whole
  data.nodes.forEach(function (n) {
    var label = n.data.label;
    n.data.short = label.length > MAX_LABEL ? label.slice(0, MAX_LABEL - 1) + "…" : label;
  });
  // A crowded neighbourhood gets a taller picture, so its outer ring is not squeezed.
  container.style.height = Math.min(900, Math.max(container.clientHeight, 240 + 14 * data.nodes.length)) + "px";
  var crowded = data.nodes.length > 17;
  var cy = cytoscape({
    container: container,
    elements: data.nodes.concat(data.edges),
    minZoom: 0.2,
    maxZoom: 1.6,
    style: [
      { selector: "node", style: { "label": "data(short)", "background-color": "#0b5cad", "color": "#1b1f24",
          "font-size": crowded ? 18 : 11, "text-wrap": "wrap", "text-max-width": crowded ? 200 : 140, "text-valign": "bottom", "text-margin-y": 4, "width": 18, "height": 18 } },
      { selector: "node[ring = 3]", style: { "background-color": "#f0a500", "width": 28, "height": 28, "font-weight": "bold" } },
      { selector: "node[?external]", style: { "background-color": "#8c959f", "shape": "round-rectangle" } },
      // A crowd's picture is fitted small: its names are drawn larger and its edges named on hover only.
      { selector: "edge", style: { "label": crowded ? "" : "data(label)", "curve-style": "bezier", "target-arrow-shape": "triangle", "width": 1.5,
          "line-color": "#8c959f", "target-arrow-color": "#8c959f", "font-size": 9, "color": "#57606a", "text-rotation": "autorotate" } }
    ],
    // The entity in the middle; a few neighbours on one ring around it. A crowd is split: what
    // the entity points at on an inner ring, what points at it on the outer one.
    layout: { name: "concentric", animate: false, padding: 40, minNodeSpacing: 60, equidistant: true,
              concentric: function (node) { return crowded ? node.data("ring") : (node.data("ring") === 3 ? 2 : 1); },
              levelWidth: function () { return 1; } }
  });
  if (crowded) {  // turn the inner ring half a step, so no edge to the outer ring runs through its nodes
    var centre = cy.nodes("[ring = 3]").position(), turn = Math.PI / Math.max(cy.nodes("[ring = 1]").length, 1);
    cy.nodes("[ring = 2]").positions(function (node) {
      var x = node.position("x") - centre.x, y = node.position("y") - centre.y;
      return { x: centre.x + x * Math.cos(turn) - y * Math.sin(turn), y: centre.y + x * Math.sin(turn) + y * Math.cos(turn) };
    });
    cy.fit(undefined, 40);
  }
  cy.on("tap", "node", function (event) {
    var href = event.target.data("href");
    if (href && event.target.data("ring") !== 3) window.location.href = href;
  });
  cy.on("mouseover", "node, edge", function (event) { container.title = event.target.data("label"); });
  cy.on("mouseout", "node, edge", function () { container.title = ""; });
  window.mcfkgGraph = cy;
})();
