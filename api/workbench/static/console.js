/* /cypher: type Cypher, run it (Ctrl+Enter) through POST /api/cypher, see the answer as a graph,
   a table or JSON. The query and its parameters live in the URL (?q=…&params=…), so a link
   reproduces the answer; past queries are kept in this browser's localStorage. */
(function () {
  "use strict";
  const W = window.PGWorkbench;
  const tr = W.tr;
  const data = JSON.parse(document.getElementById("wb-data").textContent);
  const HISTORY_KEY = "policygraph.cypher.history", HISTORY_MAX = 30;
  const SAVED_KEY = "policygraph.cypher.saved";
  const $ = id => document.getElementById(id);
  const result = $("result"), status = $("status"), errorBox = $("error"), noticeBox = $("notices");
  let answer = null, network = null, offset = 0, lastRun = null;
  let runs = 0;  // the latest run's number: an earlier run's reply that comes later is dropped

  /* The editor: Neo4j's Cypher editor when its bundle is there, else the plain textarea. */
  let getText, setText, insertText;
  const textarea = $("query-text");
  if (window.PGCypherEditor) {
    const box = $("editor");
    textarea.remove();
    const api = window.PGCypherEditor.create(box, {
      value: "", schema: data.schema, lineNumbers: true, lint: false, autofocus: true,
      placeholder: "MATCH (t:Task)-[:LED_BY]->(a:Agency) RETURN t, a LIMIT 25", theme: "light",
      // the page's Content-Security-Policy allows CodeMirror's <style> element by this nonce
      preExtensions: window.PGCypherEditor.cspNonce ? [window.PGCypherEditor.cspNonce(data.style_nonce)] : [],
    }).editor;
    getText = () => api.codemirror.state.doc.toString();
    setText = value => api.setValue(value);
    insertText = text => {
      const view = api.codemirror;
      view.dispatch(view.state.replaceSelection(text));
      view.focus();
    };
    document.documentElement.dataset.editor = "cypher";
  } else {
    getText = () => textarea.value;
    setText = value => { textarea.value = value; };
    insertText = text => {
      textarea.setRangeText(text, textarea.selectionStart, textarea.selectionEnd, "end");
      textarea.focus();
    };
    document.documentElement.dataset.editor = "plain";
  }

  /* JSON ({"as_of": "2025-05-22"}) or k=v lines; a value that reads as JSON (1, true, [..]) is typed. */
  function parseParams(text) {
    const trimmed = text.trim();
    if (!trimmed) return {};
    if (trimmed.startsWith("{")) {
      try { return JSON.parse(trimmed); } catch (e) { throw new Error("Parameters: not valid JSON (" + e.message + ")."); }
    }
    const params = {};
    trimmed.split(/\r?\n/).forEach((line, i) => {
      if (!line.trim() || line.trim().startsWith("#")) return;
      const at = line.indexOf("=");
      if (at < 1) throw new Error(`Parameters, line ${i + 1}: write name=value (or a JSON object).`);
      const name = line.slice(0, at).trim(), raw = line.slice(at + 1).trim();
      try { params[name] = JSON.parse(raw); } catch (e) { params[name] = raw; }
    });
    return params;
  }

  const show = W.tabs(result, name => { if (name === "graph") drawGraph(); });

  function drawGraph() {
    if (!answer || network) return;
    network = W.renderGraph($("graph"), answer, {labels: data.labels});
  }
  window.PGConsole = {get answer() { return answer; }, get network() { return network; }};

  function pastQueries() {
    try { return JSON.parse(localStorage.getItem(HISTORY_KEY) || "[]"); } catch (e) { return []; }
  }

  function remember(query, paramsText) {
    const entries = pastQueries().filter(h => h.query !== query || h.params !== paramsText);
    entries.unshift({query, params: paramsText, at: new Date().toISOString()});
    localStorage.setItem(HISTORY_KEY, JSON.stringify(entries.slice(0, HISTORY_MAX)));
    drawHistory();
  }

  function drawHistory() {
    const list = $("history");
    list.textContent = "";
    for (const h of pastQueries()) {
      const item = W.el("li", {title: h.query + (h.params ? "\n" + h.params : "")}, h.query.replace(/\s+/g, " "));
      item.addEventListener("click", () => { setText(h.query); $("params").value = h.params; run(0); });
      list.appendChild(item);
    }
  }

  // a `$name` the query reads and the parameters do not give: a button that adds its line
  // (`name=`) to the parameters box and puts the cursor after it
  function offerParameter(field, paramsText) {
    if (!field || /^\s*\{/.test(paramsText)) return;  // JSON parameters: the message says how
    const box = $("params");
    const button = W.el("button", {type: "button", id: "add-param", class: "offer"}, `${tr("Thêm", "Add")} ${field}=`);
    button.addEventListener("click", () => {
      box.value = (box.value.trim() ? box.value.replace(/\s*$/, "\n") : "") + field + "=";
      box.focus();
      box.setSelectionRange(box.value.length, box.value.length);
      button.remove();
    });
    errorBox.appendChild(document.createElement("br"));
    errorBox.appendChild(button);
  }

  function shareURL(query, paramsText) {
    const search = new URLSearchParams({q: query});
    if (paramsText.trim()) search.set("params", paramsText);
    return location.pathname + "?" + search.toString();
  }

  async function run(startAt) {
    const query = getText().trim();
    if (!query) { $("error").hidden = false; errorBox.textContent = tr("Gõ một truy vấn.", "Type a query."); return; }
    const paramsText = $("params").value;
    errorBox.hidden = true; noticeBox.hidden = true;
    let params;
    try { params = parseParams(paramsText); } catch (e) { errorBox.hidden = false; errorBox.textContent = e.message; return; }
    offset = startAt || 0;
    const mine = ++runs;
    status.textContent = tr("Đang chạy…", "Running…");
    document.documentElement.dataset.wbReady = "running";
    window.history.replaceState(null, "", shareURL(query, paramsText));
    remember(query, paramsText);  // as it is sent: the history is in the order of the runs
    const reply = await W.fetchJSON("/api/cypher", {
      method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({query, params, offset}),
    });
    if (mine !== runs) return;  // run again meanwhile: that answer is the one shown
    if (!reply.ok) {
      result.hidden = true;  // the table of the query before does not answer this one
      errorBox.hidden = false;
      errorBox.textContent = W.errorText(reply.body);
      offerParameter(reply.body && reply.body.field, paramsText);
      status.textContent = `${Math.round(reply.ms)} ms`;
      document.documentElement.dataset.wbReady = "error";
      return;
    }
    answer = reply.body;
    lastRun = {query, paramsText};
    network = null;
    const said = [];
    if (answer.notices && answer.notices.length) {
      said.push(tr("Đã viết lại cho kho nhúng: ", "Rewritten for the embedded store: ") + answer.notices.join(" ") +
                (answer.rewritten ? "\nRan: " + answer.rewritten : ""));
    }
    // names the schema does not know, with the nearest one (a mistyped property reads as null)
    (answer.hints || []).forEach((hint) => said.push(hint));
    if (said.length) {
      noticeBox.hidden = false;
      noticeBox.textContent = said.join("\n");
    }
    const cut = answer.truncated
      ? tr(` · cắt ở giới hạn dòng: còn dòng sau (next offset ${answer.next_offset})`, ` · cut by the row cap: more rows follow (next offset ${answer.next_offset})`) : "";
    status.textContent = `${answer.count} ${tr("dòng", "rows")}` + (answer.offset ? ` ${tr("từ", "from")} ${answer.offset + 1}` : "") +
                         ` · ${Math.round(reply.ms)} ms` + cut;
    status.dataset.truncated = String(answer.truncated);
    result.hidden = false;
    W.renderTable($("table"), answer);
    $("json").textContent = JSON.stringify({columns: answer.columns, rows: answer.rows}, null, 2);
    $("next-page").hidden = answer.next_offset === null;
    const hasGraph = answer.graph.nodes.length > 0;
    result.querySelector("[data-tab=graph]").hidden = !hasGraph;
    show(hasGraph ? "graph" : "table");
    document.documentElement.dataset.wbReady = "true";
  }

  $("run").addEventListener("click", () => run(0));
  document.addEventListener("keydown", event => {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      event.preventDefault();
      event.stopPropagation();
      run(0);
    }
  }, true);
  $("next-page").addEventListener("click", event => { event.preventDefault(); if (answer) run(answer.next_offset); });
  $("csv-download").addEventListener("click", event => {
    event.preventDefault();
    if (answer) W.download("policygraph-query.csv", W.toCSV(answer, $("csv-bom").checked), "text/csv;charset=utf-8");
  });
  // the whole answer (every row within the row cap), written by the API in the same CSV shape
  $("csv-whole").addEventListener("click", async event => {
    event.preventDefault();
    if (!lastRun) return;
    const said = $("export-status");
    said.textContent = tr("Đang xuất…", "Exporting…");
    let params;
    try { params = parseParams(lastRun.paramsText); } catch (e) { said.textContent = e.message; return; }
    const bom = $("csv-bom").checked ? "&bom=1" : "";
    let response;
    try {
      response = await fetch("/api/cypher?format=csv" + bom, {
        method: "POST", headers: {"Content-Type": "application/json"},
        body: JSON.stringify({query: lastRun.query, params}),
      });
    } catch (e) { said.textContent = tr("Máy chủ không trả lời.", "The server did not answer."); return; }
    if (!response.ok) {
      let body = null;
      try { body = await response.json(); } catch (e) { /* not JSON */ }
      said.textContent = W.errorText(body) || `HTTP ${response.status}`;
      return;
    }
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const a = W.el("a", {href: url, download: "policygraph-query.csv"});
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    const cut = response.headers.get("X-Policygraph-Truncated");
    said.textContent = cut ? "Đã xuất, nhưng " + cut : tr("Đã xuất cả câu trả lời", "Whole answer exported");
    said.dataset.truncated = String(Boolean(cut));
  });
  $("json-download").addEventListener("click", event => {
    event.preventDefault();
    if (answer) W.download("policygraph-query.json", JSON.stringify(answer.rows, null, 2), "application/json");
  });

  /* Sample queries: a named query's Cypher with its default parameters fills the console. */
  document.querySelectorAll("button.sample").forEach(button => button.addEventListener("click", () => {
    const sample = data.samples.find(s => s.name === button.dataset.name);
    setText(sample.query);
    $("params").value = sample.params;
    $("save-name").value = sample.title_vi || sample.title;
    status.textContent = tr("Nhấn Chạy (hoặc Ctrl+Enter) để chạy truy vấn này", "Press Run (or Ctrl+Enter) to run this query");
    window.history.replaceState(null, "", shareURL(sample.query, sample.params));
    document.documentElement.dataset.wbReady = "filled";
  }));

  /* The schema panel: a click puts the name at the cursor. */
  document.querySelectorAll("button.insert").forEach(button => button.addEventListener("click", () => {
    insertText(button.dataset.insert);
  }));

  /* Saved queries: name, query, parameters in this browser; each has a link that fills the console. */
  function savedQueries() {
    try { return JSON.parse(localStorage.getItem(SAVED_KEY) || "[]"); } catch (e) { return []; }
  }

  function drawSaved() {
    const list = $("saved");
    list.textContent = "";
    for (const s of savedQueries()) {
      const item = W.el("li", {class: "saved-query"});
      const open = W.el("a", {href: shareURL(s.query, s.params), class: "saved-link",
                              title: s.query + (s.params ? "\n" + s.params : "")}, s.name);
      const forget = W.el("button", {type: "button", class: "forget", title: tr("xoá", "delete")}, "×");
      forget.addEventListener("click", () => {
        localStorage.setItem(SAVED_KEY, JSON.stringify(savedQueries().filter(x => x.name !== s.name)));
        drawSaved();
      });
      item.appendChild(open);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(forget);
      list.appendChild(item);
    }
  }

  $("save").addEventListener("click", () => {
    const name = $("save-name").value.trim(), query = getText().trim();
    if (!name || !query) {
      errorBox.hidden = false;
      errorBox.textContent = tr("Đặt tên và gõ truy vấn trước khi lưu.", "Name the query and type it before saving.");
      return;
    }
    const entries = savedQueries().filter(s => s.name !== name);
    entries.unshift({name, query, params: $("params").value, at: new Date().toISOString()});
    localStorage.setItem(SAVED_KEY, JSON.stringify(entries));
    drawSaved();
  });

  drawHistory();
  drawSaved();
  const start = new URLSearchParams(location.search);
  if (start.get("q")) {
    // A link fills the console and waits for a click: opening one (from an e-mail, another
    // site) must not spend the reader's query slots (issue 29).
    setText(start.get("q"));
    $("params").value = start.get("params") || "";
    status.textContent = tr("Nhấn Chạy (hoặc Ctrl+Enter) để chạy truy vấn này", "Press Run (or Ctrl+Enter) to run this query");
    document.documentElement.dataset.wbReady = "filled";
  } else {
    document.documentElement.dataset.wbReady = "idle";
  }
})();
