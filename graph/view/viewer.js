/* The kg viewer: reads the page's JSON data block, draws it with vis-network and wires the
   search box, the type filters, the event toggle and the side panel.
   Text from the article only ever reaches the page through textContent, never as markup. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var ui = data.ui;
  var byId = new Map(data.nodes.map(function (n) { return [n.id, n]; }));
  var typeOf = new Map(data.types.map(function (t) { return [t.key, t]; }));
  var hiddenTypes = new Set();
  var folded = data.folded;

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var nodeView = new vis.DataView(nodes, { filter: function (n) {
    return !hiddenTypes.has(n.type) && !(folded && n.fact !== undefined);
  } });
  var edgeView = new vis.DataView(edges, { filter: function (e) {
    return e.mode === "both" || (e.mode === "folded") === folded;
  } });

  var network = new vis.Network(document.getElementById("graph"), {}, data.options);
  // Physics settles before the page counts as ready; an empty network has nothing to settle.
  network.once(data.physics && nodeView.length ? "stabilizationIterationsDone" : "afterDrawing", function () {
    // The page is usable once the first settled frame is drawn.
    network.once("afterDrawing", function () {
      window.kgReady = performance.now();
      document.body.dataset.ready = "true";
    });
    network.redraw();
  });
  network.setData({ nodes: nodeView, edges: edgeView });

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function glyph(type) {
    var t = typeOf.get(type);
    var g = el("span", t.glyph, "glyph");
    g.style.color = t.color;
    return g;
  }

  function updateCounts() {
    document.getElementById("counts").textContent =
      ui.counts.replace("{nodes}", nodeView.length).replace("{edges}", edgeView.length);
  }

  // ---------------------------------------------------------------- legend and filters
  var legend = document.getElementById("legend");
  legend.appendChild(el("h2", ui.legend));
  data.types.forEach(function (t) {
    var label = el("label");
    label.dataset.event = t.event;
    label.title = t.label;
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.dataset.type = t.key;
    box.addEventListener("change", function () {
      if (box.checked) hiddenTypes.delete(t.key); else hiddenTypes.add(t.key);
      nodeView.refresh();
      updateCounts();
    });
    label.appendChild(box);
    label.appendChild(glyph(t.key));
    label.appendChild(el("span", t.label + " (" + t.count + ")"));
    legend.appendChild(label);
  });

  function showType(type) {
    if (!hiddenTypes.has(type)) return;
    hiddenTypes.delete(type);
    legend.querySelectorAll("input").forEach(function (b) { if (b.dataset.type === type) b.checked = true; });
    nodeView.refresh();
  }

  var foldBox = document.getElementById("fold");
  if (!data.facts.some(function (f) { return f.node !== undefined; })) foldBox.parentNode.hidden = true;
  foldBox.addEventListener("change", function () { setFolded(foldBox.checked); });

  function setFolded(value) {
    folded = value;
    foldBox.checked = value;
    legend.querySelectorAll("label[data-event=true]").forEach(function (l) { l.hidden = value; });
    nodeView.refresh();
    edgeView.refresh();
    updateCounts();
  }

  // ---------------------------------------------------------------- search
  var index = [];
  data.nodes.forEach(function (n) {
    if (n.fact === undefined) n.names.forEach(function (name) { index.push([name.toLowerCase(), name, n.id]); });
  });

  function search(query) {
    var q = query.trim().toLowerCase();
    if (!q) return [];
    var best = new Map();
    index.forEach(function (entry) {
      var rank = entry[0] === q ? 0 : entry[0].startsWith(q) ? 1 : entry[0].indexOf(q) >= 0 ? 2 : -1;
      if (rank < 0) return;
      var seen = best.get(entry[2]);
      if (!seen || rank < seen.rank) best.set(entry[2], { id: entry[2], name: entry[1], rank: rank });
    });
    return Array.from(best.values()).sort(function (a, b) {
      return a.rank - b.rank || a.name.length - b.name.length || a.id - b.id;
    }).slice(0, 12);
  }

  var input = document.getElementById("search");
  var results = document.getElementById("results");
  function listResults() {
    results.replaceChildren();
    search(input.value).forEach(function (hit) {
      var b = el("button");
      b.type = "button";
      b.appendChild(glyph(byId.get(hit.id).type));
      b.appendChild(el("span", hit.name));
      if (hit.name !== byId.get(hit.id).label) b.appendChild(el("span", byId.get(hit.id).label, "kind"));
      b.appendChild(el("span", typeOf.get(byId.get(hit.id).type).label, "kind"));
      b.addEventListener("click", function () { focusNode(hit.id); });
      var li = el("li");
      li.appendChild(b);
      results.appendChild(li);
    });
  }
  input.addEventListener("input", listResults);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var hits = search(input.value);
      if (hits.length) focusNode(hits[0].id);
    } else if (event.key === "Escape") {
      results.replaceChildren();
    }
  });

  function focusNode(id) {
    var n = byId.get(id);
    showType(n.type);
    if (folded && n.fact !== undefined) setFolded(false);
    results.replaceChildren();
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 300 } });
    showNode(id);
    updateCounts();
  }

  // ---------------------------------------------------------------- side panel
  var panel = document.getElementById("panel");

  function entityButton(id) {
    var b = el("button", byId.get(id).label, "entity");
    b.type = "button";
    b.addEventListener("click", function () { focusNode(id); });
    return b;
  }

  function renderFact(f) {
    var box = el("div", null, "fact");
    box.appendChild(el("div", f.kindLabel, "kind"));
    var dl = el("dl");
    f.roles.forEach(function (r) {
      dl.appendChild(el("dt", r[0]));
      var dd = el("dd");
      dd.appendChild(entityButton(r[1]));
      dl.appendChild(dd);
    });
    f.values.forEach(function (v) {
      dl.appendChild(el("dt", v[0]));
      dl.appendChild(el("dd", v[1]));
    });
    if (dl.childNodes.length) box.appendChild(dl);
    (f.marks || []).forEach(function (m) {
      box.appendChild(el("div", m[1], "mark " + m[0]));
      if (m[0] !== "sources") box.classList.add(m[0]);
    });
    f.evidence.forEach(function (ev) {
      box.appendChild(el("blockquote", ev.text, "evidence"));
      box.appendChild(el("div", ui.offsets.replace("{begin}", ev.begin).replace("{end}", ev.end) +
        (f.pattern ? " · " + f.pattern : ""), "offsets"));
    });
    return box;
  }

  function heading(title, type) {
    panel.replaceChildren();
    var h = el("h2");
    h.appendChild(glyph(type));
    h.appendChild(el("span", title));
    panel.appendChild(h);
  }

  function showNode(id) {
    var n = byId.get(id);
    if (n.fact !== undefined) { showFacts(n.label, n.type, [n.fact]); return; }
    heading(n.label, n.type);
    panel.appendChild(el("div", typeOf.get(n.type).label));
    if (/^Q[0-9]+$/.test(n.wikidata || "")) {
      var p = el("div", "Wikidata: ");
      var a = el("a", n.wikidata);
      a.href = "https://www.wikidata.org/wiki/" + n.wikidata;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      p.appendChild(a);
      panel.appendChild(p);
    }
    var others = n.names.filter(function (name) { return name !== n.label; });
    if (others.length) panel.appendChild(el("div", ui.names + ": " + others.join(" · ")));
    panel.appendChild(el("div", n.iri, "meta"));
    panel.appendChild(el("h3", ui.facts + " (" + n.facts.length + ")"));
    if (!n.facts.length) panel.appendChild(el("p", ui.noFacts, "hint"));
    n.facts.forEach(function (i) { panel.appendChild(renderFact(data.facts[i])); });
  }

  function showFacts(title, type, factIds) {
    heading(title, type);
    factIds.forEach(function (i) { panel.appendChild(renderFact(data.facts[i])); });
  }

  function showEdge(id) {
    var e = edges.get(id);
    panel.replaceChildren();
    panel.appendChild(el("h2", e.title));
    var p = el("div");
    p.appendChild(entityButton(e.from));
    p.appendChild(el("span", " → "));
    p.appendChild(entityButton(e.to));
    panel.appendChild(p);
    panel.appendChild(el("h3", ui.evidence));
    if (!e.facts.length) panel.appendChild(el("p", ui.noFacts, "hint"));
    e.facts.forEach(function (i) { panel.appendChild(renderFact(data.facts[i])); });
  }

  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
  });

  setFolded(folded);
  window.kg = { network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView,
                search: search, focusNode: focusNode, setFolded: setFolded };
})();
