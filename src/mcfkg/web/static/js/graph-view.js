// The neighbourhood graph on entity pages, drawn with Cytoscape.js from the JSON the page embeds.
// Every node and edge shown is also in the page's tables, so the picture is an aid, not the only way in.
//
// Grouped by property, as a tree read left to right: the entity, then one box per property and
// direction, then the neighbours linked by it, each name whole on its own row at its normal size.
// No edge carries a label and no edge runs through a name. When that does not fit the page (a
// narrow screen, a very crowded entity), the same groups are shown as a list instead.
(function () {
  "use strict";
  var container = document.getElementById("graph");
  var source = document.getElementById("graph-data");
  if (!container || !source || typeof cytoscape !== "function") return;
  var data = JSON.parse(source.textContent);

  var FONT_SIZE = 12, LINE = 15, FONT = "system-ui, sans-serif";
  var NODE = 12, ROW_GAP = 7, GROUP_GAP = 12, MARGIN = 16, MAX_HEIGHT = 1400;
  var CENTRE_LABEL = 150, BOX_TEXT = 150, BOX_PAD = 8, TO_BOX = 90, TO_NEIGHBOUR = 70, MIN_LABEL = 180;

  var centre = data.nodes.filter(function (n) { return n.data.centre; })[0].data;
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.data.id] = n.data; });

  // One group per property (or list of properties) and direction: what the entity points at first.
  var groups = [], byKey = {};
  data.edges.forEach(function (e) {
    var out = e.data.source === centre.id, other = byId[out ? e.data.target : e.data.source];
    if (other.id === centre.id) return;
    var key = (out ? "out " : "in ") + e.data.label;
    if (!byKey[key]) groups.push(byKey[key] = { label: e.data.label, out: out, members: [] });
    byKey[key].members.push(other);
  });
  groups.sort(function (a, b) { return b.out - a.out; });
  groups.forEach(function (group) {  // "sentence 2" before "sentence 11"
    group.members.sort(function (a, b) { return a.label.localeCompare(b.label, undefined, { numeric: true }); });
  });

  // The lines a name wraps to at a width, as Cytoscape wraps it (at spaces, greedily).
  var measure = document.createElement("canvas").getContext("2d");
  measure.font = FONT_SIZE + "px " + FONT;
  function lines(text, width) {
    var count = 1, line = "";
    text.split(" ").forEach(function (word) {
      var tried = line ? line + " " + word : word;
      if (line && measure.measureText(tried).width > width) { count += 1; line = word; } else { line = tried; }
    });
    return count;
  }
  function textWidth(text, bold) {
    measure.font = (bold ? "bold " : "") + FONT_SIZE + "px " + FONT;
    var width = measure.measureText(text).width;
    measure.font = FONT_SIZE + "px " + FONT;
    return width;
  }

  var boxWidth = 2 * BOX_PAD + Math.min(BOX_TEXT, Math.max.apply(null, groups.map(function (g) { return textWidth(g.label); })));
  var centreX = MARGIN + Math.min(CENTRE_LABEL, textWidth(centre.label, true)) + 6 + NODE;
  var boxLeft = centreX + TO_BOX, neighbourX = boxLeft + boxWidth + TO_NEIGHBOUR;
  var labelWidth = container.clientWidth - neighbourX - NODE - MARGIN;

  // Rows, top to bottom: each group's neighbours, its box beside their middle.
  var elements = [{ data: centre }], y = MARGIN;
  groups.forEach(function (group, g) {
    var box = "g" + g, boxHeight = lines(group.label, BOX_TEXT) * LINE + BOX_PAD;
    var rows = group.members.map(function (m) { return Math.max(NODE, lines(m.label, labelWidth) * LINE) + ROW_GAP; });
    var membersHeight = rows.reduce(function (a, b) { return a + b; }, 0);
    var block = Math.max(boxHeight + ROW_GAP, membersHeight), rowY = y + (block - membersHeight) / 2;
    elements.push({ data: { id: box, label: group.label, box: true, width: boxWidth, height: boxHeight },
                    position: { x: boxLeft + boxWidth / 2, y: y + block / 2 } });
    elements.push({ data: { id: box + "-e", label: group.label, source: group.out ? centre.id : box, target: group.out ? box : centre.id },
                    classes: group.out ? "to-left" : "from-left" });
    group.members.forEach(function (member, i) {
      var id = box + "-" + i;
      elements.push({ data: { id: id, label: member.label, href: member.href, external: member.external },
                      position: { x: neighbourX, y: rowY + rows[i] / 2 } });
      elements.push({ data: { id: id + "-e", label: group.label, source: group.out ? box : id, target: group.out ? id : box },
                      classes: group.out ? "from-right" : "to-right" });
      rowY += rows[i];
    });
    y += block + GROUP_GAP;
  });
  var height = y - GROUP_GAP + MARGIN;

  if (labelWidth < MIN_LABEL || height > MAX_HEIGHT) return showList();

  container.style.height = Math.max(height, 120) + "px";
  elements[0].position = { x: centreX, y: height / 2 };
  var label = { "label": "data(label)", "font-size": FONT_SIZE, "font-family": FONT, "line-height": LINE / FONT_SIZE,
                "text-wrap": "wrap", "color": "#1b1f24" };
  var cy = cytoscape({
    container: container,
    elements: elements,
    layout: { name: "preset", fit: false },
    zoom: 1,
    pan: { x: 0, y: 0 },
    minZoom: 0.3,
    maxZoom: 2,
    style: [
      { selector: "node", style: Object.assign({ "background-color": "#0b5cad", "width": NODE, "height": NODE,
          "text-halign": "right", "text-valign": "center", "text-margin-x": 6, "text-max-width": labelWidth }, label) },
      { selector: "node[?centre]", style: { "background-color": "#f0a500", "width": 2 * NODE, "height": 2 * NODE,
          "font-weight": "bold", "text-halign": "left", "text-margin-x": -6, "text-max-width": CENTRE_LABEL } },
      { selector: "node[?external]", style: { "background-color": "#8c959f", "shape": "round-rectangle" } },
      { selector: "node[?box]", style: { "shape": "round-rectangle", "width": "data(width)", "height": "data(height)",
          "background-color": "#eef4fb", "border-width": 1, "border-color": "#0b5cad", "color": "#0b3d73",
          "text-halign": "center", "text-margin-x": 0, "text-max-width": BOX_TEXT } },
      { selector: "edge", style: { "curve-style": "straight", "target-arrow-shape": "triangle", "width": 1.5,
          "line-color": "#8c959f", "target-arrow-color": "#8c959f" } },
      // Edges meet a property's box at its sides: from the entity on the left, to the neighbours on the right.
      // Between the entity and the boxes the arrows sit midway, not in a heap at the entity.
      { selector: "edge.to-left, edge.from-left", style: { "target-arrow-shape": "none", "mid-target-arrow-shape": "triangle",
          "mid-target-arrow-color": "#8c959f" } },
      { selector: "edge.to-left", style: { "target-endpoint": "-50% 0%" } },
      { selector: "edge.from-left", style: { "source-endpoint": "-50% 0%" } },
      { selector: "edge.to-right", style: { "target-endpoint": "50% 0%" } },
      { selector: "edge.from-right", style: { "source-endpoint": "50% 0%" } }
    ]
  });
  cy.on("tap", "node", function (event) {
    var href = event.target.data("href");
    if (href && !event.target.data("centre")) window.location.href = href;
  });
  cy.on("mouseover", "node, edge", function (event) { container.title = event.target.data("label"); });
  cy.on("mouseout", "node, edge", function () { container.title = ""; });
  window.mcfkgGraph = cy;

  // Too wide or too tall to draw readably: the same groups as a list of links.
  function showList() {
    var list = document.createElement("ul");
    list.className = "graph-list";
    groups.forEach(function (group) {
      var item = document.createElement("li"), name = document.createElement("span"), members = document.createElement("ul");
      name.className = "graph-property";
      name.textContent = (group.out ? "→ " : "← ") + group.label;
      group.members.forEach(function (member) {
        var link = document.createElement("a");
        link.href = member.href;
        link.textContent = member.label;
        members.appendChild(document.createElement("li")).appendChild(link);
      });
      item.append(name, members);
      list.appendChild(item);
    });
    container.replaceWith(list);
    var caption = list.parentNode.querySelector("figcaption");
    if (caption) caption.textContent = "The neighbourhood by property, listed (too many names to draw readably here): "
      + "→ what " + centre.label + " points at, ← what points at it. Stated facts only.";
  }
})();
