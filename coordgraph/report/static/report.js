// Interactive parts of the coordgraph HTML report: the cluster graphs (cytoscape), the dossier panel and the
// member-table search and sort. Data comes only from the JSON block #report-data; every text from it is
// written with textContent, never as markup, and only post addresses the report computed become links.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("report-data").textContent);
  var POST_URL = /^https:\/\/x\.com\/i\/status\/[0-9]{1,20}$/;
  var COLOURS = ["#c0392b", "#2980b9", "#27ae60", "#8e44ad", "#d35400", "#16a085", "#7f8c8d", "#f39c12", "#2c3e50", "#e84393"];

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function postNode(post) {
    if (post.url && POST_URL.test(post.url)) {
      var a = el("a", post.id);
      a.href = post.url;
      a.rel = "noopener noreferrer";
      a.target = "_blank";
      return a;
    }
    return el("code", post.id);
  }

  function showDossier(panel, node, cy) {
    var d = node.data();
    panel.replaceChildren();
    panel.appendChild(el("h4", d.label));
    var dl = el("dl");
    [["id", d.id], ["name", d.name], ["status", d.status || "unknown"], ["score", d.score_text],
     ["created", d.created], ["active", d.active], ["posts / retweets", d.activity],
     ["attached by the membership test", d.attached ? "yes" : "no"]].forEach(function (row) {
      if (row[1] === null || row[1] === undefined || row[1] === "") return;
      dl.appendChild(el("dt", row[0]));
      dl.appendChild(el("dd", row[1]));
    });
    panel.appendChild(dl);
    if (d.description) panel.appendChild(el("p", d.description, "muted"));
    panel.appendChild(el("p", d.evidence_text, "evidence"));
    var links = node.connectedEdges(":visible");
    if (links.length) {
      panel.appendChild(el("h5", "Evidence links (" + links.length + ")"));
      var ul = el("ul");
      links.sort(function (a, b) { return (b.data("weight") || 0) - (a.data("weight") || 0); }).slice(0, 40).forEach(function (e) {
        var other = e.source().id() === node.id() ? e.target() : e.source();
        var li = el("li");
        li.appendChild(el("b", other.data("label")));
        li.appendChild(document.createTextNode(" – " + e.data("signal") + (e.data("dashed") ? " (membership test)" : "") +
          ", " + e.data("count") + " shared" + (e.data("weight") !== null ? ", weight " + e.data("weight_text") : "")));
        var posts = e.data("posts") || [];
        if (posts.length) {
          li.appendChild(document.createTextNode(": "));
          posts.forEach(function (p, i) {
            if (i) li.appendChild(document.createTextNode(", "));
            li.appendChild(postNode(p));
          });
        }
        ul.appendChild(li);
      });
      panel.appendChild(ul);
    }
    panel.classList.add("filled");
  }

  function drawCluster(box) {
    var number = box.getAttribute("data-cluster");
    var graph = DATA.graphs[number];
    if (!graph || typeof cytoscape !== "function") return;
    var canvas = box.querySelector(".cy");
    var panel = box.querySelector(".dossier");
    var signals = graph.signals;
    var colour = {};
    signals.forEach(function (s, i) { colour[s] = COLOURS[i % COLOURS.length]; });
    var elements = graph.nodes.map(function (n) { return {group: "nodes", data: n, position: n.position}; })
      .concat(graph.edges.map(function (e) { return {group: "edges", data: Object.assign({colour: colour[e.signal] || "#999"}, e)}; }));
    var cy = cytoscape({
      container: canvas,
      elements: elements,
      layout: {name: "preset", fit: true, padding: 30},
      wheelSensitivity: 0.3,
      minZoom: 0.1,
      maxZoom: 6,
      style: [
        {selector: "node", style: {
          "label": "data(label)", "font-size": 9, "min-zoomed-font-size": 6, "text-valign": "bottom", "text-margin-y": 3,
          "text-background-color": "#fff", "text-background-opacity": 0.75, "text-background-padding": 1,
          "width": "mapData(score_rank, 0, 1, 10, 26)", "height": "mapData(score_rank, 0, 1, 10, 26)",
          "background-color": "mapData(score_rank, 0, 1, #f5b7b1, #922b21)", "border-width": 1, "border-color": "#555"}},
        {selector: "node[?attached]", style: {"shape": "diamond", "border-style": "dashed", "border-width": 2}},
        {selector: "edge", style: {
          "width": "mapData(weight_rank, 0, 1, 0.6, 5)", "line-color": "data(colour)", "opacity": 0.55, "curve-style": "haystack"}},
        {selector: "edge[?dashed]", style: {"line-style": "dashed", "curve-style": "straight", "opacity": 0.8, "width": 1.5}},
        {selector: ".faded", style: {"opacity": 0.08, "text-opacity": 0.15}},
        {selector: "node.focus", style: {"border-width": 3, "border-color": "#000", "font-size": 12, "font-weight": "bold", "z-index": 10}},
        {selector: "edge.focus", style: {"opacity": 1, "z-index": 9}}
      ]
    });
    box.cy = cy;
    var pinned = null;

    function highlight(node) {
      cy.elements().removeClass("focus faded");
      if (!node) return;
      var hood = node.closedNeighborhood();
      cy.elements().not(hood).addClass("faded");
      hood.addClass("focus");
    }
    cy.on("mouseover", "node", function (evt) { if (!pinned) showDossier(panel, evt.target, cy); });
    cy.on("tap", "node", function (evt) {
      pinned = evt.target;
      highlight(pinned);
      showDossier(panel, pinned, cy);
    });
    cy.on("tap", function (evt) {
      if (evt.target === cy) { pinned = null; highlight(null); }
    });

    // Edge filters: one box per signal, and a minimum weight.
    var filters = box.querySelector(".filters");
    var checks = {};
    signals.forEach(function (s) {
      var label = el("label");
      var box_ = document.createElement("input");
      box_.type = "checkbox";
      box_.checked = true;
      box_.setAttribute("data-signal", s);
      checks[s] = box_;
      label.appendChild(box_);
      var swatch = el("span", "\u25a0 ");
      swatch.style.color = colour[s];
      label.appendChild(swatch);
      label.appendChild(document.createTextNode(s + " (" + graph.signal_counts[s] + ")"));
      filters.appendChild(label);
    });
    var weight = document.createElement("input");
    weight.type = "range";
    weight.min = 0;
    weight.max = 1;
    weight.step = 0.01;
    weight.value = 0;
    weight.className = "min-weight";
    var wlabel = el("label", "minimum weight (share of the strongest): ");
    var wvalue = el("span", "0 %");
    wlabel.appendChild(weight);
    wlabel.appendChild(wvalue);
    filters.appendChild(wlabel);
    var reset = el("button", "fit");
    reset.type = "button";
    filters.appendChild(reset);
    reset.addEventListener("click", function () { cy.fit(undefined, 30); });

    function applyFilters() {
      var min = parseFloat(weight.value);
      wvalue.textContent = Math.round(100 * min) + " %";
      cy.batch(function () {
        cy.edges().forEach(function (e) {
          var on = checks[e.data("signal")] ? checks[e.data("signal")].checked : true;
          if (!e.data("dashed") && (e.data("weight_rank") || 0) < min) on = false;
          e.style("display", on ? "element" : "none");
        });
      });
      box.setAttribute("data-visible-edges", String(cy.edges(":visible").length));
    }
    Object.keys(checks).forEach(function (s) { checks[s].addEventListener("change", applyFilters); });
    weight.addEventListener("input", applyFilters);
    applyFilters();
    box.setAttribute("data-drawn-nodes", String(cy.nodes().length));
    box.setAttribute("data-drawn-edges", String(cy.edges().length));
  }

  function memberTable(wrapper) {
    var table = wrapper.querySelector("table");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var search = wrapper.querySelector("input[type=search]");
    var sort = wrapper.querySelector("select");
    var count = wrapper.querySelector(".shown");
    var STATUS_ORDER = {suspended: 0, deleted: 1, active: 2, unknown: 3};
    function key(row, by) {
      if (by === "score") return -parseFloat(row.getAttribute("data-score") || "0");
      if (by === "created") return row.getAttribute("data-created") || "~";
      if (by === "status") return STATUS_ORDER[row.getAttribute("data-status")] !== undefined ? STATUS_ORDER[row.getAttribute("data-status")] : 9;
      return row.getAttribute("data-handle") || "";
    }
    function update() {
      var by = sort.value;
      var q = search.value.trim().toLowerCase();
      rows.sort(function (a, b) {
        var ka = key(a, by), kb = key(b, by);
        if (ka < kb) return -1;
        if (ka > kb) return 1;
        return -parseFloat(a.getAttribute("data-score") || "0") + parseFloat(b.getAttribute("data-score") || "0");
      });
      var shown = 0;
      rows.forEach(function (row) {
        var hit = !q || (row.getAttribute("data-search") || "").indexOf(q) >= 0;
        row.hidden = !hit;
        if (hit) shown += 1;
        body.appendChild(row);
      });
      count.textContent = shown + " of " + rows.length + " shown";
    }
    search.addEventListener("input", update);
    sort.addEventListener("change", update);
    update();
  }

  Array.prototype.forEach.call(document.querySelectorAll(".member-list"), memberTable);
  Array.prototype.forEach.call(document.querySelectorAll(".cluster-graph"), function (box) {
    try { drawCluster(box); } catch (err) { box.setAttribute("data-error", String(err)); }
  });
  document.documentElement.setAttribute("data-report-ready", "1");
})();
