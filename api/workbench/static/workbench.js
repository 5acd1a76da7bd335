/* policygraph workbench: what the query pages and the Cypher console share. Results come from
   the JSON API ({columns, rows, truncated, next_offset, graph: {nodes, edges}}); nothing here
   fetches from outside the app. */
(function () {
  "use strict";
  // one of the page's phrases in the reader's language (the server chose it: <html lang>)
  const tr = (vi, en) => (document.documentElement.lang === "en" ? en : vi);

  function isNode(v) { return v && typeof v === "object" && Array.isArray(v.labels) && v.properties; }
  function isRel(v) { return v && typeof v === "object" && typeof v.type === "string" && "start" in v; }

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  async function fetchJSON(url, init) {
    const started = performance.now();
    let response, body;
    try {
      response = await fetch(url, init);
      body = await response.json();
    } catch (error) {
      return {ok: false, status: 0, ms: performance.now() - started,
              body: {error: tr("Máy chủ không trả lời.", "The server did not answer."), detail: String(error)}};
    }
    return {ok: response.ok, status: response.status, body, ms: performance.now() - started};
  }

  function errorText(body) {
    if (!body) return "";
    let detail = body.detail;
    if (Array.isArray(detail)) detail = detail.map(d => (d.field ? d.field + ": " : "") + (d.message || JSON.stringify(d))).join("; ");
    else if (detail && typeof detail === "object") detail = JSON.stringify(detail);
    return [body.error, detail].filter(Boolean).join("\n");
  }

  function cellText(v) {
    if (v === null || v === undefined) return "";
    if (isNode(v)) return v.properties.name || v.properties.id || v.labels.join(":");
    if (isRel(v)) return v.start + " —" + v.type + "→ " + v.end;
    if (Array.isArray(v)) return v.map(cellText).join("; ");
    if (typeof v === "object") return JSON.stringify(v);
    return String(v);
  }

  /* The one CSV shape (graph/answer_csv.py writes the same cells): a map column spreads into
     `field.sub` columns, a node is its id, a relationship start|TYPE|end, lists joined with "; ",
     a map inside a list as compact JSON, true/false, null as an empty cell. */
  const isMap = v => v !== null && typeof v === "object" && !Array.isArray(v) && !isNode(v) && !isRel(v);

  function csvCell(v) {
    if (v === null || v === undefined) return "";
    if (typeof v === "boolean") return v ? "true" : "false";
    if (isNode(v)) return v.properties.id === undefined || v.properties.id === null ? "" : String(v.properties.id);
    if (isRel(v)) return v.start + "|" + v.type + "|" + v.end;
    if (Array.isArray(v)) return v.map(csvCell).join("; ");
    if (typeof v === "object") return JSON.stringify(v);
    return String(v);
  }

  function spread(prefix, v, out) {
    if (isMap(v)) {
      const keys = Object.keys(v);
      if (!keys.length && !(prefix in out)) out[prefix] = "";
      for (const k of keys) spread(prefix + "." + k, v[k], out);
    } else {
      out[prefix] = csvCell(v);
    }
  }

  function flatRow(row, columns) {
    const out = {};
    for (const c of columns) spread(c, row[c], out);
    return out;
  }

  function flatColumns(columns, rows) {
    const header = [];
    for (const c of columns) {
      const seen = new Set();
      for (const row of rows) {
        if (row[c] === null || row[c] === undefined) continue;  // says nothing of the column's shape
        for (const name of Object.keys(flatRow({[c]: row[c]}, [c]))) seen.add(name);
      }
      header.push(...(seen.size ? seen : [c]));
    }
    return header;
  }

  const BOM = "\ufeff";

  function toCSV(answer, bom) {
    const quote = s => /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    const header = flatColumns(answer.columns, answer.rows);
    const lines = [header.map(quote).join(",")];
    for (const row of answer.rows) {
      const cells = flatRow(row, answer.columns);
      lines.push(header.map(name => quote(name in cells ? cells[name] : "")).join(","));
    }
    return (bom ? BOM : "") + lines.join("\r\n") + "\r\n";
  }

  function download(filename, text, mime) {
    const url = URL.createObjectURL(new Blob([text], {type: mime}));
    const a = el("a", {href: url, download: filename});
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  /* A value for drawing (a node, a relationship, a path), not for reading in a table. */
  const isGraphValue = v => isNode(v) || isRel(v) || (Array.isArray(v) && v.some(x => isNode(x) || isRel(x)));
  // what the text filter compares: no case, no diacritics ("bo tai chinh" finds "Bộ Tài chính")
  const folded = text => String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();

  // blanks last, whichever the direction
  const FACET = /(status|category|progress|kind|level|lead_names|lead_ids|agency_name)$/;
  const FACET_MAX = 30, BLANK = "\u0000blank";

  function compare(a, b, descending) {
    const blank = v => v === null || v === undefined || v === "";
    if (blank(a) || blank(b)) return blank(a) === blank(b) ? 0 : (blank(a) ? 1 : -1);
    const order = typeof a === "number" && typeof b === "number" ? a - b
      : cellText(a).localeCompare(cellText(b), "vi");
    return descending ? -order : order;
  }

  /* The rows as a table with a text filter, sorting by a column (click its head; again for
     descending) and a "columns" control. `readable`: start with the columns an analyst reads,
     leaving out those of nodes and chains kept for drawing (the control shows them). */
  function renderTable(container, answer, options) {
    options = options || {};
    container.textContent = "";
    if (!answer.rows.length) { container.appendChild(el("p", {class: "empty"}, tr("Không có dòng nào.", "No rows."))); return; }
    const graphy = c => answer.rows.some(r => isGraphValue(r[c]));
    const reading = answer.columns.filter(c => !graphy(c));
    const shown = new Set(options.readable && reading.length ? reading : answer.columns);
    let sortBy = null, descending = false, filter = "";
    // facets: a pick-list per status- or lead-like column with a few values (a list cell
    // matches when it holds the value)
    const items = v => (Array.isArray(v) ? v : [v]).filter(x => x !== null && x !== undefined && x !== "")
      .map(cellText);
    const facets = {};
    for (const c of answer.columns.filter(c => FACET.test(c) && !graphy(c))) {
      const values = [...new Set(answer.rows.flatMap(r => items(r[c])))].sort((a, b) => a.localeCompare(b, "vi"));
      const blanks = answer.rows.some(r => !items(r[c]).length);
      if (values.length + (blanks ? 1 : 0) > 1 && values.length <= FACET_MAX) facets[c] = {values, blanks, picked: ""};
    }

    const controls = el("div", {class: "table-controls"});
    const search = el("input", {type: "search", class: "table-filter", placeholder: tr("lọc", "filter"),
                                "aria-label": tr("lọc các dòng", "filter the rows")});
    const count = el("span", {class: "table-count"});
    const picker = el("details", {class: "table-columns"});
    const summary = el("summary");
    picker.appendChild(summary);
    for (const c of answer.columns) {
      const box = el("input", {type: "checkbox", value: c});
      box.checked = shown.has(c);
      box.addEventListener("change", () => { if (box.checked) shown.add(c); else shown.delete(c); draw(); });
      const label = el("label", {}, "");
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + c));
      picker.appendChild(label);
    }
    search.addEventListener("input", () => { filter = folded(search.value.trim()); draw(); });
    controls.appendChild(search);
    for (const [c, facet] of Object.entries(facets)) {
      const select = el("select", {class: "facet", "data-column": c, "aria-label": c});
      select.appendChild(el("option", {value: ""}, `${c}: ${tr("tất cả", "all")}`));
      for (const v of facet.values) select.appendChild(el("option", {value: v}, v));
      if (facet.blanks) select.appendChild(el("option", {value: BLANK}, tr("(trống)", "(blank)")));
      select.addEventListener("change", () => { facet.picked = select.value; draw(); });
      controls.appendChild(select);
    }
    controls.appendChild(picker);
    controls.appendChild(count);
    container.appendChild(controls);
    const holder = el("div", {class: "table-holder"});
    container.appendChild(holder);

    function draw() {
      const columns = answer.columns.filter(c => shown.has(c));
      summary.textContent = `${tr("Cột", "Columns")} (${columns.length}/${answer.columns.length})`;
      let rows = answer.rows;
      for (const [c, facet] of Object.entries(facets)) {
        if (facet.picked === BLANK) rows = rows.filter(r => !items(r[c]).length);
        else if (facet.picked) rows = rows.filter(r => items(r[c]).includes(facet.picked));
      }
      if (filter) rows = rows.filter(r => answer.columns.some(c => folded(cellText(r[c])).includes(filter)));
      if (sortBy) rows = rows.slice().sort((a, b) => compare(a[sortBy], b[sortBy], descending));
      const narrowed = filter || Object.values(facets).some(f => f.picked);
      count.textContent = narrowed ? `${rows.length} / ${answer.rows.length} ${tr("dòng", "rows")}` : "";
      holder.textContent = "";
      const table = el("table", {class: "rows"});
      const head = table.createTHead().insertRow();
      for (const c of columns) {
        const th = el("th", {class: "sortable", title: tr("sắp xếp", "sort")}, c);
        if (c === sortBy) th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        th.addEventListener("click", () => {
          descending = sortBy === c ? !descending : false;
          sortBy = c;
          draw();
        });
        head.appendChild(th);
      }
      const body = table.createTBody();
      for (const row of rows) {
        const tr = body.insertRow();
        for (const c of columns) {
          const v = row[c];
          const td = tr.insertCell();
          if (typeof v === "number") td.className = "num";
          if (isNode(v) && v.properties.id) {
            td.appendChild(el("a", {href: "/viz/node/" + encodeURIComponent(v.properties.id)}, cellText(v)));
            td.appendChild(el("span", {class: "node-label"}, " " + v.labels.join(":")));
          } else {
            td.textContent = cellText(v);
          }
        }
      }
      holder.appendChild(table);
    }
    draw();
  }

  function numericColumns(answer) {
    return answer.columns.filter(c => answer.rows.length && answer.rows.every(r => r[c] === null || typeof r[c] === "number"));
  }

  /* Node id -> the value of `column` in the rows that hold that node. */
  function valuesByNode(answer, column) {
    const values = {};
    for (const row of answer.rows) {
      for (const c of answer.columns) {
        const v = row[c];
        if (isNode(v) && v.properties.id && typeof row[column] === "number") values[v.properties.id] = row[column];
      }
    }
    return values;
  }

  function renderGraph(container, answer, options) {
    const styles = {};
    for (const s of (options && options.labels) || []) styles[s.label] = s;
    const sizeBy = options && options.sizeBy;
    const values = sizeBy ? valuesByNode(answer, sizeBy) : {};
    const max = Math.max(1, ...Object.values(values));
    const nodes = answer.graph.nodes.map(n => {
      const s = styles[n.label] || {shape: "dot", colour: "#999999"};
      const name = n.name || n.id || (n.labels || []).join(":");
      const item = {id: n.id, label: name.length > 40 ? name.slice(0, 38) + "…" : name, shape: s.shape,
                    color: s.colour, title: (n.label || "") + ": " + name + (n.name_en ? "\n" + n.name_en : ""),
                    size: 14, font: {size: 13}};
      if (sizeBy && n.id in values) {
        item.size = 10 + 40 * Math.sqrt(values[n.id] / max);
        item.label += " (" + values[n.id] + ")";
      }
      return item;
    });
    const edges = answer.graph.edges.map(e => ({id: e.id, from: e.source, to: e.target, label: e.type,
                                                 arrows: "to", font: {size: 9, align: "middle"}}));
    container.textContent = "";
    if (typeof vis === "undefined") { container.textContent = "vis-network did not load."; return null; }
    return new vis.Network(container, {nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges)}, {
      physics: {solver: "forceAtlas2Based", stabilization: {iterations: 200, fit: true}},
      interaction: {hover: true}, layout: {randomSeed: 57},
    });
  }

  function tabs(root, onShow) {
    const buttons = root.querySelectorAll("[role=tab]");
    function show(name) {
      for (const b of buttons) b.setAttribute("aria-selected", String(b.dataset.tab === name));
      for (const p of root.querySelectorAll("[data-pane]")) p.hidden = p.dataset.pane !== name;
      if (onShow) onShow(name);
    }
    for (const b of buttons) b.addEventListener("click", () => show(b.dataset.tab));
    return show;
  }

  window.PGWorkbench = {tr, isNode, isRel, el, fetchJSON, errorText, cellText, toCSV, download, renderTable,
                        renderGraph, numericColumns, tabs};
})();
