/* policygraph graph page: the canvas, the side panel, search, filters and expand-on-click.
   Data comes from the JSON block the server (or the CLI) wrote into the page; in a served page
   the panel, search and expansion call the app's own API (same origin, relative URLs). In a
   standalone file there is no server: search looks through the page's own nodes and the panel
   says that expanding needs the server, instead of failing silently. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("viz-data").textContent);
  // one of the page's phrases in the reader's language (the server chose it: api/language.py)
  function tr(vi, en) { return data.lang === "en" ? en : vi; }
  var server = !data.standalone;
  var entities = data.entities;
  var sources = data.sources || {};
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  var state = { ready: false, labelsOn: {}, statusesOn: {}, expanded: {}, selected: null };
  var $ = function (id) { return document.getElementById(id); };
  // What the URL says beyond the page's own parameters: the selection (sel), the legend's
  // unticked boxes (hide=label:Agency,status:overdue) and the expanded nodes (expand=a,b).
  // A reload or a shared link draws the same picture.
  var query = new URLSearchParams(server ? window.location.search : "");
  var wanted = {
    sel: query.get("sel"),
    hide: (query.get("hide") || "").split(",").filter(Boolean),
    expand: (query.get("expand") || "").split(",").filter(Boolean)
  };

  window.pgViz = {
    network: network, nodes: nodes, edges: edges, entities: entities, data: data, state: state,
    jumpTo: jumpTo, expand: expand, showPanel: showPanel, pagePosition: pagePosition, stateUrl: stateUrl,
    // how a date change leaves the page (a test holds it to look at the greyed picture)
    navigate: function (url) { window.location.assign(url); }
  };

  // The URL of the picture as it is now (date, selection, filters, expansions).
  function stateUrl(asOf) {
    var params = new URLSearchParams(window.location.search);
    ["sel", "hide", "expand"].forEach(function (k) { params.delete(k); });
    if (asOf) params.set("as_of", asOf);
    var hidden = [];  // boxes not as the page first drew them: "label:Agency", "label:+StatusChange"
    Array.prototype.forEach.call(document.querySelectorAll("input[data-filter]"), function (box) {
      if (box.checked !== box.defaultChecked) {
        hidden.push(box.getAttribute("data-filter") + ":" + (box.checked ? "+" : "") + box.value);
      }
    });
    if (hidden.length) params.set("hide", hidden.join(","));
    var expanded = Object.keys(state.expanded);
    if (expanded.length) params.set("expand", expanded.join(","));
    if (state.selected) params.set("sel", state.selected);
    var text = params.toString();
    return window.location.pathname + (text ? "?" + text : "");
  }

  function saveState() {
    if (!server || !window.history.replaceState) return;
    window.history.replaceState(null, "", stateUrl());
  }

  // -- small DOM helpers (text only: nothing from the data is parsed as HTML) -----------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "className") node.className = attrs[key];
      // through the CSSOM: a style attribute would break the page's Content-Security-Policy
      else if (key === "style") node.style.cssText = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) {
        node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
      }
    });
    return node;
  }

  function say(text) { $("status").textContent = text || ""; }

  // -- readiness: the layout has run (capped) and the canvas is drawn ------------------------
  function markReady() {
    if (state.ready) return;
    state.ready = true;
    $("loading").classList.add("done");
    document.documentElement.setAttribute("data-viz-ready", "true");
  }

  network.on("stabilizationProgress", function (p) {
    $("loading-progress").textContent = Math.round((100 * p.iterations) / p.total) + "%";
  });
  // After the capped layout run the picture holds still (nodes can still be dragged): nothing
  // drifts under the reader's mouse and an idle page costs no CPU.
  network.on("stabilizationIterationsDone", function () {
    network.setOptions({ physics: { enabled: false } });
    if (!state.ready) {
      fitView();
      spreadLabels();
      network.once("afterDrawing", markReady);
      network.redraw();
    }
  });

  // The layout sees nodes, not their labels, which are far wider: after it, nodes whose drawn
  // labels overlap are pushed apart (along the axis that needs the shorter move), then the view
  // is fitted again, until no label drawn at the default zoom lies over another (the browser
  // tests measure it). Large pages (laid out on the server, labels hidden) are left as they are.
  var LABEL_GAP = 6;        // canvas pixels kept between two labels
  function drawnLabels() {
    network.redraw();       // label sizes and places are those of the last frame drawn
    var boxes = [];
    network.body.nodeIndices.forEach(function (id) {
      var node = network.body.nodes[id], label = node.labelModule;
      if (node.options.hidden || !label.visible()) return;
      boxes.push({ id: id, node: node, dx: label.size.left - node.x, dy: label.size.top - node.y,
                   w: label.size.width, h: label.size.height });
    });
    return boxes;
  }
  function spreadLabels() {
    if (data.large || data.kind === "summary") return;
    for (var pass = 0; pass < 4; pass++) {
      var boxes = drawnLabels();
      if (boxes.length > 400) return;
      var moved = false;
      for (var round = 0; round < 60; round++) {
        var any = false;
        for (var i = 0; i < boxes.length; i++) {
          for (var j = i + 1; j < boxes.length; j++) {
            var p = boxes[i], q = boxes[j];
            var px = p.node.x + p.dx, py = p.node.y + p.dy, qx = q.node.x + q.dx, qy = q.node.y + q.dy;
            var ox = Math.min(px + p.w, qx + q.w) - Math.max(px, qx) + LABEL_GAP;
            var oy = Math.min(py + p.h, qy + q.h) - Math.max(py, qy) + LABEL_GAP;
            if (ox <= 0 || oy <= 0) continue;
            any = true;
            // the page's own entity stays where it is; otherwise both move half the way
            var shareP = p.id === data.focus ? 0 : (q.id === data.focus ? 1 : 0.5);
            var shareQ = 1 - shareP;
            if (oy <= ox) {
              var down = (py + p.h / 2) <= (qy + q.h / 2) ? 1 : -1;
              p.node.y -= down * oy * shareP; q.node.y += down * oy * shareQ;
            } else {
              var right = (px + p.w / 2) <= (qx + q.w / 2) ? 1 : -1;
              p.node.x -= right * ox * shareP; q.node.x += right * ox * shareQ;
            }
          }
        }
        if (!any) break;
        moved = true;
      }
      if (!moved) return;
      fitView();            // the spread picture fits again, which may show or hide labels
    }
  }

  // Fill the canvas with the nodes, never zoomed in past 1.6 (a 12-node page is drawn large,
  // not small in an empty canvas).
  function fitView() {
    // the national picture's columns carry long labels beside them: never zoom past 1
    network.fit({ maxZoomLevel: data.kind === "summary" ? 1.2 : 1.6, animation: false });
  }
  if (nodes.length === 0) {
    $("empty").hidden = false;
    markReady();
  } else if (!data.options.physics || data.options.physics.enabled === false) {
    fitView();
    network.once("afterDrawing", markReady);  // laid out on the server: the first frame is the page
    network.redraw();
  }

  // -- swatches in the legend (inline SVG, drawn from the same colours as the nodes) ---------
  var SHAPES = {
    dot: "<circle cx='10' cy='10' r='7'/>",
    square: "<rect x='3' y='3' width='14' height='14'/>",
    diamond: "<polygon points='10,1 19,10 10,19 1,10'/>",
    triangle: "<polygon points='10,2 18,17 2,17'/>",
    triangleDown: "<polygon points='2,3 18,3 10,18'/>",
    star: "<polygon points='10,1 12.6,7.2 19,7.6 14,11.8 15.6,18.5 10,14.8 4.4,18.5 6,11.8 1,7.6 7.4,7.2'/>",
    hexagon: "<polygon points='5,2 15,2 19,10 15,18 5,18 1,10'/>"
  };
  Array.prototype.forEach.call(document.querySelectorAll("svg.swatch"), function (svg) {
    svg.innerHTML = SHAPES[svg.getAttribute("data-shape")] || SHAPES.dot;
    svg.firstChild.setAttribute("fill", svg.getAttribute("data-colour"));
    svg.firstChild.setAttribute("stroke", "#333");
    svg.firstChild.setAttribute("stroke-width", "0.8");
  });
  paintLabelSwatches();

  // -- filters: hide labels or task statuses --------------------------------------------------
  function readFilters() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-filter]"), function (box) {
      var table = box.getAttribute("data-filter") === "label" ? state.labelsOn : state.statusesOn;
      table[box.value] = box.checked;
    });
  }

  function hiddenByFilter(item) {
    if (state.labelsOn[item.pg_label] === false) return true;
    if (item.pg_label === "Task" && state.statusesOn[item.pg_status || ""] === false) return true;
    return false;
  }

  function applyFilters() {
    readFilters();
    var changes = [];
    nodes.forEach(function (item) {
      var hidden = hiddenByFilter(item);
      if (Boolean(item.hidden) !== hidden) changes.push({ id: item.id, hidden: hidden });
    });
    if (changes.length) nodes.update(changes);
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[data-filter]"), function (box) {
    var key = box.getAttribute("data-filter") + ":";
    if (wanted.hide.indexOf(key + box.value) >= 0) box.checked = false;
    if (wanted.hide.indexOf(key + "+" + box.value) >= 0) box.checked = true;
    box.addEventListener("change", function () { applyFilters(); saveState(); });
  });
  applyFilters();

  function refreshCounts() {
    var byLabel = {};
    nodes.forEach(function (item) { byLabel[item.pg_label] = (byLabel[item.pg_label] || 0) + 1; });
    Array.prototype.forEach.call(document.querySelectorAll("#filter-labels li"), function (li) {
      var n = byLabel[li.getAttribute("data-label")] || 0;
      li.hidden = n === 0;
      li.querySelector(".n").textContent = String(n);
    });
    $("count-nodes").textContent = String(nodes.length);
    $("count-edges").textContent = String(edges.length);
    paintLabelSwatches();
  }

  // A label's swatch takes the colours its nodes are drawn in here (a law that blocks is red,
  // one that does not its label colour): one swatch per colour, so the legend never shows a
  // colour the picture does not use. Tasks keep theirs: their colours are the status list's.
  function paintLabelSwatches() {
    var drawn = {};
    nodes.forEach(function (item) {
      if (item.pg_label === "Task" || !item.color) return;
      var colours = drawn[item.pg_label] = drawn[item.pg_label] || [];
      if (colours.indexOf(item.color.background) < 0) colours.push(item.color.background);
    });
    Array.prototype.forEach.call(document.querySelectorAll("#filter-labels li"), function (li) {
      var colours = (drawn[li.getAttribute("data-label")] || []).slice().sort();
      var first = li.querySelector("svg.swatch");
      if (!first || !colours.length) return;
      Array.prototype.forEach.call(li.querySelectorAll("svg.swatch-extra"), function (x) { x.remove(); });
      first.firstChild.setAttribute("fill", colours[0]);
      first.setAttribute("data-drawn", colours[0]);
      colours.slice(1).forEach(function (colour) {
        var extra = first.cloneNode(true);
        extra.classList.add("swatch-extra");
        extra.firstChild.setAttribute("fill", colour);
        extra.setAttribute("data-drawn", colour);
        first.parentNode.insertBefore(extra, first.nextSibling);
      });
    });
  }

  // -- the side panel -------------------------------------------------------------------------
  // a status code in the reader's language (graph/vocabulary.py): "đã thông qua" or "passed"
  function statusText(code) { return code ? ((data.statuses || {})[code] || code) : ""; }

  var SKIP = { name: 1, name_en: 1, sources: 1, search_key: 1, status: 1, status_on: 1 };

  function nodeHref(id) {
    return "/viz/node/" + encodeURIComponent(id) + "?as_of=" + encodeURIComponent(data.as_of);
  }

  function propertyTable(props) {
    var rows = Object.keys(props).sort().filter(function (k) {
      return !SKIP[k] && props[k] !== null && props[k] !== "" && !(Array.isArray(props[k]) && !props[k].length);
    }).map(function (k) {
      var value = Array.isArray(props[k]) ? props[k].join(", ") : String(props[k]);
      return el("tr", {}, [el("th", { text: k }), el("td", { text: value })]);
    });
    return rows.length ? el("table", {}, [el("tbody", {}, rows)]) : null;
  }

  function sourceItem(ref) {
    var title = ref.title || ref.name || ref.id;
    var when = ref.published_on ? " (" + ref.published_on + ")" : "";
    var by = ref.publisher ? " — " + ref.publisher : "";
    if (ref.url && /^https?:\/\//i.test(ref.url)) {
      // A link the reader may follow; the page itself never loads it.
      return el("li", {}, [el("a", { href: ref.url, target: "_blank", rel: "noopener noreferrer", text: title }), by + when]);
    }
    return el("li", { text: title + by + when });
  }

  function showPanel(id) {
    var info = entities[id];
    if (!info) return;
    state.selected = id;
    var item = nodes.get(id) || {};
    var colour = item.color && item.color.background ? item.color.background : "#888";
    var chips = el("p", {}, [el("span", { className: "chip", style: "background:" + colour, text: info.label || "?" })]);
    if (info.label === "Task") {
      // the derived category on the page's date (graph.asof), with the recorded progress beside it
      var kind = (data.legend.statuses || []).filter(function (s) { return s.status === (info.category || null); })[0];
      chips.appendChild(el("span", { className: "chip", id: "panel-category", style: "background:" + (kind ? kind.colour : "#c7c7c7"),
        text: (kind ? tr(kind.title_vi, kind.title_en) : "?") + " (" + data.as_of + ")" }));
    }
    if (info.blocking) {
      chips.appendChild(el("span", { className: "chip", style: "background:#e41a1c",
        text: tr("đang cản trở", "blocks tasks") + " (" + data.as_of + ")" }));
    }
    // the status on the page's date is the status; today's properties are the "current" line
    var standing = el("div", { className: "standing" });
    if (info.status || info.dated) {
      standing.appendChild(el("p", { id: "panel-progress", text: tr("trạng thái", "status") + " (" + data.as_of + "): " +
        (statusText(info.status) || tr("chưa ghi nhận", "none recorded")) }));
    }
    if (info.current_status) {
      standing.appendChild(el("p", { id: "panel-current", className: "muted",
        text: tr("hiện tại", "current") + ": " + statusText(info.current_status) +
          (info.current_status_on ? " (" + info.current_status_on + ")" : "") }));
    }
    var refs = (info.properties.sources || []).map(function (sid) {
      return sourceItem(Object.assign({ id: sid }, sources[sid] || {}));
    });
    var sourceList = el("ul", { id: "panel-sources" }, refs);
    var neighbours = el("div", { id: "panel-neighbours" });
    var expandButton = el("button", { type: "button", id: "panel-expand", text: tr("Mở rộng lân cận", "Expand neighbours") });
    var actions = el("div", { className: "actions" }, [expandButton]);
    var note = null;
    if (server) {
      actions.appendChild(el("a", { href: nodeHref(id), id: "panel-own-page", text: tr("Trang riêng", "Own page") }));
      actions.appendChild(el("a", { href: "/api/nodes/" + encodeURIComponent(id), text: "JSON" }));
      if (info.label === "Agency") {
        actions.appendChild(el("a", { id: "panel-digest", text: tr("Bản tin", "Digest"),
          href: "/digest?agency=" + encodeURIComponent(id) + "&until=" + encodeURIComponent(data.as_of) }));
      }
      expandButton.addEventListener("click", function () { expand(id); });
      if (state.expanded[id]) expandButton.disabled = true;
    } else {
      expandButton.disabled = true;
      note = el("p", { className: "note", id: "panel-offline" }, [
        "Mở rộng cần máy chủ: chạy policygraph serve rồi mở /viz/node/" + id + ". ",
        el("span", { className: "en", text: "Expanding needs the server: run policygraph serve and open /viz/node/" + id + "." })
      ]);
    }
    var body = $("panel-body");
    body.textContent = "";
    body.appendChild(el("h2", { id: "panel-name", text: info.name || id }));
    if (info.name_en) body.appendChild(el("p", { className: "name-en", id: "panel-name-en", text: info.name_en }));
    body.appendChild(chips);
    body.appendChild(standing);
    body.appendChild(actions);
    if (note) body.appendChild(note);
    var blocked = null;
    if (info.label === "Law") {
      blocked = el("section", { id: "panel-blocked" });
      body.appendChild(blocked);
    }
    var table = propertyTable(Object.assign({ id: id }, info.properties));
    if (table) body.appendChild(table);
    body.appendChild(el("h3", { text: tr("Nguồn", "Sources") }));
    body.appendChild(sourceList);
    body.appendChild(neighbours);
    $("panel").hidden = false;
    document.body.classList.add("panel-open");
    network.redraw();
    saveState();
    if (server) loadDetails(id, sourceList, neighbours);
    if (blocked) showBlocked(id, info, blocked);
  }

  // -- a law's blocked tasks on the page's date, a page at a time (blocking-laws, law=ID) ----
  var BLOCKED_PAGE = 20;

  function showBlocked(id, info, box) {
    box.appendChild(el("h3", { text: tr("Nhiệm vụ bị cản trở", "Tasks it blocks") + " (" + data.as_of + ")" }));
    var holders = edges.get({ filter: function (e) { return e.from === id && e.pg_type === "BLOCKS"; } });
    if (holders.length) {
      box.appendChild(el("ul", { id: "panel-holders" }, holders.map(function (e) {
        var holder = entities[e.to] || {};
        return el("li", { text: (holder.name || e.to) + ": " + e.label });
      })));
    }
    if (!info.blocking) {
      box.appendChild(el("p", { className: "muted", id: "panel-blocked-none",
        text: tr("Không cản trở nhiệm vụ nào vào ngày này.", "Blocks no unfinished task on this date.") }));
      return;
    }
    if (!server) {
      box.appendChild(el("p", { className: "note", text: tr("Danh sách cần máy chủ", "The list needs the server") + " (policygraph serve)." }));
      return;
    }
    var list = el("ol", { id: "panel-blocked-tasks" });
    var more = el("button", { type: "button", id: "panel-blocked-more", text: tr("Thêm", "More") });
    more.hidden = true;
    box.appendChild(list);
    box.appendChild(more);
    var load = function (offset) {
      more.disabled = true;
      var url = "/api/queries/blocking-laws?as_of=" + encodeURIComponent(data.as_of) + "&law=" +
        encodeURIComponent(id) + "&limit=" + BLOCKED_PAGE + "&offset=" + offset;
      return fetch(url, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : r.json().then(function (e) { throw new Error(e.error || r.status); }); })
        .then(function (answer) {
          if (state.selected !== id) return;
          answer.rows.forEach(function (row) {
            list.appendChild(el("li", { "data-task": row.task_id }, [
              el("a", { href: nodeHref(row.task_id), text: row.task_name || row.task_id }),
              el("span", { className: "muted", text: " " + (statusText(row.task_status) || tr("chưa ghi nhận", "none recorded")) +
                (row.deadline ? " · " + row.deadline : "") + (row.hops > 1 ? " · " + row.hops + " " + tr("bước", "hops") : "") })
            ]));
          });
          more.hidden = answer.next_offset === null || answer.next_offset === undefined;
          more.disabled = false;
          more.onclick = function () { load(answer.next_offset); };
          box.setAttribute("data-loaded", String(list.children.length));
        })
        .catch(function (err) { box.appendChild(el("p", { text: tr("Không tải được", "Could not load") + ": " + err.message })); });
    };
    load(0);
  }

  function loadDetails(id, sourceList, neighbours) {
    fetch("/api/nodes/" + encodeURIComponent(id), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error("HTTP " + r.status)); })
      .then(function (details) {
        if (state.selected !== id) return;
        sourceList.textContent = "";
        (details.sources || []).forEach(function (ref) { sourceList.appendChild(sourceItem(ref)); });
        neighbours.textContent = "";
        if ((details.neighbours || []).length) {
          neighbours.appendChild(el("h3", { text: tr("Quan hệ", "Relationships") }));
          neighbours.appendChild(el("ul", {}, details.neighbours.map(function (n) {
            return neighbourItem(id, n);
          })));
        }
      })
      .catch(function (err) { neighbours.textContent = tr("Không tải được chi tiết", "Could not load details") + ": " + err.message; });
  }

  // one relationship type of the panel's node: the names of the neighbours drawn on the page
  // (each a link to its own page), and how many more the graph holds beyond them
  function neighbourItem(id, n) {
    var out = n.direction === "out";
    var drawn = edges.get({ filter: function (e) {
      return e.pg_type === n.type && (out ? e.from === id : e.to === id);
    } });
    var seen = {};
    var names = [];
    drawn.forEach(function (e) {
      var other = out ? e.to : e.from;
      if (seen[other] || !entities[other]) return;
      seen[other] = true;
      var name = entities[other].name || other;
      names.push(server ? el("a", { href: nodeHref(other), text: name }) : el("span", { text: name }));
    });
    var parts = [(out ? "→ " : "← ") + n.type + ": "];
    names.forEach(function (link, i) { if (i) parts.push("; "); parts.push(link); });
    var rest = n.count - names.length;
    if (!names.length) parts.push(String(n.count));
    else if (rest > 0) parts.push(el("span", { className: "muted", text: " +" + rest + " " + tr("khác", "more") }));
    return el("li", { "data-type": n.type }, parts);
  }

  $("panel-close").addEventListener("click", function () {
    $("panel").hidden = true;
    document.body.classList.remove("panel-open");
    state.selected = null;
    network.unselectAll();
    saveState();
  });

  network.on("click", function (params) {
    if (params.nodes.length) showPanel(params.nodes[0]);
  });

  // -- expand a node's neighbours through the API, without reloading --------------------------
  function expand(id) {
    if (!server) {
      say(tr("Mở rộng cần máy chủ", "Expanding needs the server") + " (policygraph serve).");
      return Promise.resolve(false);
    }
    say(tr("Đang tải…", "Loading…"));
    var url = "/viz/expand/" + encodeURIComponent(id) + "?as_of=" + encodeURIComponent(data.as_of);
    return fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : r.json().then(function (e) { throw new Error(e.error || r.status); }); })
      .then(function (found) {
        var anchor = nodes.get(id) ? network.getPosition(id) : network.getViewPosition();
        var fresh = found.nodes.filter(function (n) { return !nodes.get(n.id); });
        fresh.forEach(function (n, i) {
          var angle = (2 * Math.PI * i) / Math.max(fresh.length, 1);
          n.x = anchor.x + 160 * Math.cos(angle);
          n.y = anchor.y + 160 * Math.sin(angle);
          n.hidden = hiddenByFilter(n);
        });
        nodes.add(fresh);
        edges.add(found.edges.filter(function (e) { return !edges.get(e.id); }));
        if (!data.large && fresh.length) {  // settle the newcomers with a short, capped run
          network.setOptions({ physics: { enabled: true } });
          network.stabilize(80);
        }
        Object.keys(found.entities).forEach(function (k) { if (!entities[k]) entities[k] = found.entities[k]; });
        Object.keys(found.sources || {}).forEach(function (k) { sources[k] = found.sources[k]; });
        state.expanded[id] = true;
        refreshCounts();
        saveState();
        var button = $("panel-expand");
        if (button && state.selected === id) button.disabled = true;
        say("+" + fresh.length + " " + tr("nút", "nodes") + (found.truncated ? " (" + tr("cắt bớt", "cut") + ")" : ""));
        return true;
      })
      .catch(function (err) { say(tr("Không mở rộng được", "Could not expand") + ": " + err.message); return false; });
  }

  // -- search: the API's Vietnamese-aware search, or this page's own nodes offline -----------
  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[đĐ]/g, "d").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function localSearch(q) {
    var words = fold(q).split(/[^a-z0-9&]+/).filter(Boolean);
    if (!words.length) return [];
    return Object.keys(entities).map(function (id) { return entities[id]; }).filter(function (e) {
      var key = (e.key || fold(e.name) + " | " + fold(e.name_en)) + " | " + fold(e.id);
      return words.every(function (w) { return key.indexOf(w) >= 0; });
    }).sort(function (a, b) {
      var qa = fold(a.name) === fold(q) ? 0 : 1, qb = fold(b.name) === fold(q) ? 0 : 1;
      return qa - qb || String(a.name).length - String(b.name).length;
    }).slice(0, 8);
  }

  var results = $("search-results");
  var box = $("search");
  var searchSeq = 0;

  function showResults(hits) {
    results.textContent = "";
    if (!hits.length) {
      results.appendChild(el("li", { className: "none", text: tr("Không tìm thấy", "Nothing found") }));
    }
    hits.forEach(function (hit, i) {
      var li = el("li", { role: "option", "data-id": hit.id, className: i === 0 ? "active" : "" },
        [hit.name || hit.id, el("span", { className: "label", text: hit.label + (nodes.get(hit.id) ? "" : " · +") })]);
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); pick(hit.id); });
      results.appendChild(li);
    });
    results.hidden = false;
  }

  function runSearch() {
    var q = box.value.trim();
    var seq = ++searchSeq;
    if (!q) { results.hidden = true; return; }
    if (!server) { showResults(localSearch(q)); return; }
    fetch("/api/search?limit=8&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { data: [] }; })
      .then(function (body) { if (seq === searchSeq) showResults(body.data || []); })
      .catch(function () { if (seq === searchSeq) showResults(localSearch(q)); });
  }

  function pick(id) {
    results.hidden = true;
    box.blur();
    jumpTo(id);
  }

  var timer = null;
  box.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(runSearch, 180); });
  box.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      ev.preventDefault();
      clearTimeout(timer);
      var first = results.querySelector("li[data-id]");
      if (first && !results.hidden) pick(first.getAttribute("data-id"));
      else runSearch();
    } else if (ev.key === "Escape") {
      results.hidden = true;
    }
  });
  box.addEventListener("blur", function () { setTimeout(function () { results.hidden = true; }, 150); });

  function focusOn(id) {
    var item = nodes.get(id);
    if (item && item.hidden) {
      var boxFor = document.querySelector("input[data-filter='label'][value='" + item.pg_label + "']");
      if (boxFor) { boxFor.checked = true; applyFilters(); }
    }
    network.selectNodes([id]);
    var scale = data.kind === "summary" ? network.getScale() : Math.max(network.getScale(), 1.0);
    network.focus(id, { scale: scale, animation: { duration: 300 } });
    showPanel(id);
  }

  function jumpTo(id) {
    if (nodes.get(id)) { focusOn(id); return Promise.resolve(true); }
    if (!server) { say(tr("Không có trong trang này", "Not on this page") + ": " + id); return Promise.resolve(false); }
    return expand(id).then(function (ok) { if (ok && nodes.get(id)) focusOn(id); return ok; });
  }

  // Where a node is on the page (for tests and the benchmark: a real mouse click lands there).
  function pagePosition(id) {
    var p = network.canvasToDOM(network.getPosition(id));
    var rect = container.getBoundingClientRect();
    return { x: rect.left + p.x, y: rect.top + p.y };
  }

  // -- the national picture's ranked list: a law's name opens its tasks ----------------------
  Array.prototype.forEach.call(document.querySelectorAll("#law-ranking button[data-law]"), function (b) {
    b.addEventListener("click", function () { jumpTo(b.getAttribute("data-law")); });
  });

  // -- the date: keep the picture's state, grey the old picture while the new one comes ------
  var dateForm = $("as-of-form");
  if (dateForm) {
    dateForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var day = $("as-of").value;
      if (!day) return;
      $("graph-wrap").classList.add("pending");
      $("pending-date").textContent = day;
      $("pending").hidden = false;
      var started = Date.now();
      setInterval(function () {
        $("pending-time").textContent = Math.round((Date.now() - started) / 1000) + " s";
      }, 500);
      window.pgViz.navigate(stateUrl(day));
    });
  }

  // -- the narrow layout: the legend is a drawer, the panel covers the graph's side ---------
  var toggle = $("legend-toggle");
  toggle.addEventListener("click", function () {
    var open = !document.body.classList.contains("legend-open");
    document.body.classList.toggle("legend-open", open);
    toggle.setAttribute("aria-expanded", String(open));
  });

  // -- state from the URL: expansions (in order), then the selection ------------------------
  var restore = Promise.resolve();
  if (server) {
    wanted.expand.forEach(function (id) {
      restore = restore.then(function () { return expand(id); });
    });
  }
  restore.then(function () {
    if (wanted.sel && nodes.get(wanted.sel)) {
      network.selectNodes([wanted.sel]);
      showPanel(wanted.sel);
      fitView();  // the panel took part of the canvas
    } else if (data.focus && nodes.get(data.focus)) {
      network.selectNodes([data.focus]);
      // a node's own page opens with its panel (names, sources, relationships); on a narrow
      // screen the panel would cover the graph, so there it waits for a click
      if (!window.matchMedia || window.matchMedia("(min-width: 961px)").matches) showPanel(data.focus);
    }
    document.documentElement.setAttribute("data-viz-state", "restored");
  });
})();
