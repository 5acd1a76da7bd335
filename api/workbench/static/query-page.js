/* /queries/NAME: run the named query through /api/queries/NAME with the form's values, show the
   rows as a table first, the nodes they mention as a graph, CSV/JSON links and paging. */
(function () {
  "use strict";
  const W = window.PGWorkbench;
  const tr = W.tr;
  const data = JSON.parse(document.getElementById("wb-data").textContent);
  const result = document.getElementById("result");
  const status = document.getElementById("status");
  const errorBox = document.getElementById("error");
  let answer = null, network = null;

  const show = W.tabs(result, name => { if (name === "graph") drawGraph(); });

  /* Only the parameters the form has a value for, plus paging; empty ones take the query's default. */
  function queryString(extra) {
    const params = new URLSearchParams(location.search);
    for (const [k, v] of [...params]) if (v === "") params.delete(k);
    for (const [k, v] of Object.entries(extra || {})) {
      if (v === null || v === undefined) params.delete(k); else params.set(k, v);
    }
    const text = params.toString();
    return text ? "?" + text : "";
  }

  function drawGraph() {
    if (!answer || network) return;
    const select = document.getElementById("size-by");
    network = W.renderGraph(document.getElementById("graph"), answer,
                            {labels: data.labels, sizeBy: select.value || null});
  }

  function setUpSizeBy() {
    const numeric = W.numericColumns(answer);
    const select = document.getElementById("size-by");
    select.textContent = "";
    select.appendChild(W.el("option", {value: ""}, "—"));
    for (const c of numeric) select.appendChild(W.el("option", {value: c}, c));
    const preferred = numeric.find(c => /open|overdue/.test(c)) || "";
    select.value = preferred;
    select.closest("label").hidden = !numeric.length;
    select.onchange = () => { network = null; drawGraph(); };
  }

  async function run() {
    result.hidden = false;
    status.textContent = tr("Đang chạy…", "Running…");
    const offset = Number(new URLSearchParams(location.search).get("offset") || 0);
    const reply = await W.fetchJSON("/api/queries/" + encodeURIComponent(data.name) + queryString());
    document.getElementById("csv-link").href = "/queries/" + encodeURIComponent(data.name) + ".csv" + queryString({limit: null});
    document.getElementById("csv-excel-link").href = "/queries/" + encodeURIComponent(data.name) + ".csv" + queryString({limit: null, bom: 1});
    document.getElementById("json-link").href = "/api/queries/" + encodeURIComponent(data.name) + queryString();
    if (!reply.ok) {
      errorBox.hidden = false;
      errorBox.textContent = W.errorText(reply.body);
      status.textContent = "";
      document.documentElement.dataset.wbReady = "error";
      return;
    }
    answer = reply.body;
    errorBox.hidden = true;
    const first = answer.offset + (answer.count ? 1 : 0), last = answer.offset + answer.count;
    status.textContent = `${tr("dòng", "rows")} ${first}–${last}` + (answer.truncated ? tr(" · còn nữa", " · more follow") : "") +
                         ` · ${Math.round(reply.ms)} ms`;
    W.renderTable(document.getElementById("table"), answer, {readable: true});
    const next = document.getElementById("next-page"), prev = document.getElementById("prev-page");
    next.hidden = answer.next_offset === null;
    if (answer.next_offset !== null) next.href = location.pathname + queryString({offset: answer.next_offset});
    prev.hidden = offset <= 0;
    if (offset > 0) {
      const size = Number(new URLSearchParams(location.search).get("limit") || data.page_size);
      prev.href = location.pathname + queryString({offset: Math.max(0, offset - size) || null});
    }
    result.querySelector("[data-tab=graph]").hidden = !answer.graph.nodes.length;
    setUpSizeBy();
    show("table");
    document.documentElement.dataset.wbReady = "true";
  }

  /* Pick-lists: ids found by /api/search as the analyst types. */
  for (const input of document.querySelectorAll("input.id-search")) {
    const list = document.getElementById("dl-" + input.name);
    const picked = document.getElementById("picked-" + input.name);
    let timer = null, names = {};
    input.addEventListener("input", () => {
      clearTimeout(timer);
      picked.textContent = names[input.value] || "";
      const text = input.value.trim();
      if (text.length < 2 || names[input.value]) return;
      timer = setTimeout(async () => {
        const label = input.dataset.label ? "&label=" + encodeURIComponent(input.dataset.label) : "";
        const reply = await W.fetchJSON("/api/search?limit=15&q=" + encodeURIComponent(text) + label);
        if (!reply.ok) return;
        list.textContent = "";
        for (const hit of reply.body.data) {
          names[hit.id] = hit.name || hit.name_en || hit.id;
          list.appendChild(W.el("option", {value: hit.id}, `${hit.name || ""} (${hit.label})`));
        }
        input.dataset.options = String(reply.body.data.length);
      }, 200);
    });
  }

  /* Submitting leaves empty fields out of the URL, so they take the query's defaults. */
  document.getElementById("query-form").addEventListener("submit", event => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [k, v] of new FormData(event.target)) if (v !== "") params.set(k, v);
    location.search = params.toString();
  });

  if (data.ready) run(); else document.documentElement.dataset.wbReady = "form";
})();
