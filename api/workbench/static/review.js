// The review desk (/review): read a document into a review, correct it, diff, load, retract.
// The review is the JSON form of the file `policygraph extract --review` writes; every edit
// changes that document, and the server diffs and loads it with `load`'s own code.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  // one of the page's phrases in the reader's language (the server chose it: <html lang>)
  const tr = (vi, en) => (document.documentElement.lang === "en" ? en : vi);
  let review = null;   // {review: {...}, nodes: [...]}
  let text = "";       // the text the spans point into
  let loadedSource = null;
  const names = new Map();  // agency id -> name, for ids the review does not carry (the graph's)

  function status(message, isError) {
    $("status").textContent = message;
    $("status").className = isError ? "error" : "";
  }

  async function call(path, options) {
    const response = await fetch(path, {credentials: "same-origin", ...options});
    if (!response.ok) {
      let body = {};
      try { body = await response.json(); } catch (e) { /* not JSON */ }
      const error = typeof body.error === "string" ? {message: body.error} : (body.error || {});
      const hint = error.detail || body.hint;
      throw new Error((error.message || response.statusText) + (hint ? " — " + hint : ""));
    }
    return response;
  }

  const postJSON = (path, data) => call(path, {method: "POST", body: JSON.stringify(data),
    headers: {"Content-Type": "application/json"}});

  const tasks = () => review.nodes.filter((n) => n.label === "Task");
  const byId = (id) => review.nodes.find((n) => n.id === id);
  const links = (node, type) => ((node.links = node.links || {})[type] = node.links[type] || []);
  const newAgency = (id) => { const n = byId(id); return n && n.label === "Agency" && n.review === "check"; };

  function slug(name) {
    return "agency-" + name.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d")
      .replace(/Đ/g, "D").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  }

  // --- the source text with each task's evidence spans marked -------------------------------
  function renderText(active) {
    const pane = $("source-text");
    pane.textContent = "";
    if (!text) { pane.hidden = true; return; }
    pane.hidden = false;
    const marks = [];
    tasks().forEach((task, i) => {
      const spans = task.spans || {};
      for (const kind of ["lead", "cue", "deadline"]) {
        if (spans[kind]) marks.push({start: spans[kind][0], end: spans[kind][1], kind, task: i});
      }
      if (spans.clause) marks.push({start: spans.clause[0], end: spans.clause[1], kind: "clause", task: i});
    });
    // Inner spans (lead, cue, deadline) win over the clause that holds them.
    const at = new Array(text.length).fill(null);
    for (const m of marks.filter((m) => m.kind === "clause")) for (let k = m.start; k < m.end; k++) at[k] = m;
    for (const m of marks.filter((m) => m.kind !== "clause")) for (let k = m.start; k < m.end; k++) at[k] = m;
    let k = 0;
    while (k < text.length) {
      const m = at[k];
      let end = k + 1;
      while (end < text.length && at[end] === m) end++;
      const piece = text.slice(k, end);
      if (m) {
        const mark = document.createElement("mark");
        mark.className = "ev-" + m.kind + (m.task === active ? " active" : "")
          + (tasks()[m.task].review === "reject" ? " rejected" : "");
        mark.dataset.task = String(m.task);
        mark.title = m.kind;
        mark.textContent = piece;
        pane.appendChild(mark);
      } else {
        pane.appendChild(document.createTextNode(piece));
      }
      k = end;
    }
  }

  // --- the task list -------------------------------------------------------------------------
  function field(labelText, input) {
    const label = document.createElement("label");
    label.className = "task-field";
    label.append(labelText + " ", input);
    return label;
  }

  function agencyInput(value, onChange, cls) {
    const input = document.createElement("input");
    input.type = "text";
    input.className = cls;
    input.value = value;
    input.setAttribute("list", "agency-list");
    input.autocomplete = "off";
    input.addEventListener("input", () => suggest(input.value.split(",").pop().trim()));
    input.addEventListener("change", () => onChange(input.value));
    return input;
  }

  function agencyRef(typed) {
    // An agency id from the search list, or a name typed for a new agency (created here).
    const value = typed.trim();
    if (!value) return null;
    const option = [...$("agency-list").options].find((o) => o.value === value || o.label === value);
    if (option) { names.set(option.value, option.label); return option.value; }
    if (byId(value)) return value;
    const id = slug(value);
    if (!byId(id)) {
      review.nodes.push({label: "Agency", id, review: "accept", name: value, kind: "other",
        note: "new agency created in the review page", sources: [review.review.source]});
    }
    return id;
  }

  function renderTasks() {
    const list = $("tasks");
    list.textContent = "";
    const all = tasks();
    $("task-count").textContent = "(" + all.length + ")";
    all.forEach((task, i) => {
      const item = document.createElement("li");
      item.className = "task" + (task.review === "reject" ? " rejected" : "");
      item.dataset.id = task.id;
      const head = document.createElement("div");
      head.className = "task-head";
      const summary = document.createElement("span");
      summary.className = "summary";
      summary.textContent = task.name;
      summary.addEventListener("click", () => { renderText(i); focusText(i); });
      const decision = document.createElement("select");
      decision.className = "decision";
      // a task the machine was unsure of stays "check" until someone decides; the load refuses it
      const choices = task.review === "check" ? ["check", "accept", "reject"] : ["accept", "reject"];
      const labels = {check: tr("kiểm tra?", "check?"), accept: tr("nhận", "accept"), reject: tr("bỏ", "reject")};
      for (const d of choices) decision.add(new Option(labels[d], d));
      decision.value = choices.includes(task.review) ? task.review : "accept";
      if (task.review === "check") item.classList.add("to-check");
      decision.addEventListener("change", () => { task.review = decision.value; changed(); });
      head.append(summary, decision);
      item.append(head);

      const led = links(task, "LED_BY");
      const leadId = led[0] ? led[0].to : "";
      const lead = agencyInput(leadId, (value) => {
        const id = agencyRef(value);
        task.links.LED_BY = id ? [{...(led[0] || {}), to: id}] : [];
        changed();
      }, "lead");
      item.append(field(tr("Chủ trì", "Lead"), lead));
      const leadNode = byId(leadId);
      const name = document.createElement("span");
      name.className = "lead-name";
      name.textContent = leadNode ? leadNode.name : (names.get(leadId) || "");
      if (newAgency(leadId)) {
        const flag = document.createElement("span");
        flag.className = "unknown";
        flag.textContent = tr("cơ quan chưa có trong đồ thị", "unknown agency");
        name.append(" ", flag);
      }
      item.append(name);

      const co = agencyInput(links(task, "SUPPORTED_BY").map((l) => l.to).join(", "), (value) => {
        task.links.SUPPORTED_BY = value.split(",").map(agencyRef).filter(Boolean).map((to) => ({to}));
        changed();
      }, "co");
      item.append(field(tr("Phối hợp", "Co-operators"), co));

      const deadline = document.createElement("input");
      deadline.type = "date";
      deadline.className = "deadline";
      deadline.value = task.deadline || "";
      deadline.addEventListener("change", () => {
        if (deadline.value) task.deadline = deadline.value; else delete task.deadline;
        changed();
      });
      item.append(field(tr("Hạn", "Deadline"), deadline));

      const laws = document.createElement("input");
      laws.type = "text";
      laws.className = "laws";
      laws.value = links(task, "DEPENDS_ON").map((l) => l.to).join(", ");
      laws.placeholder = "law-…";
      laws.addEventListener("change", () => {
        task.links.DEPENDS_ON = laws.value.split(",").map((s) => s.trim()).filter(Boolean).map((to) => ({to}));
        changed();
      });
      item.append(field(tr("Chờ luật", "Depends on laws"), laws));
      list.append(item);
    });
  }

  function renderAgencies() {
    const list = $("agencies");
    list.textContent = "";
    for (const node of review.nodes.filter((n) => n.label === "Agency")) {
      const item = document.createElement("li");
      const choice = document.createElement("select");
      choice.className = "agency-decision";
      for (const d of ["check", "accept", "reject"]) choice.add(new Option(d, d));
      choice.value = node.review;
      choice.addEventListener("change", () => { node.review = choice.value; changed(); });
      item.append(node.name + " (" + node.id + ") ", choice);
      list.append(item);
    }
  }

  function focusText(i) {
    const mark = document.querySelector('#source-text mark[data-task="' + i + '"]');
    if (mark) mark.scrollIntoView({block: "center"});
  }

  function changed() {
    // An agency no kept task names any more is dropped; one still named but undecided is kept new.
    const named = new Set();
    for (const t of tasks().filter((t) => t.review !== "reject")) {
      for (const type of ["LED_BY", "SUPPORTED_BY"]) for (const l of links(t, type)) named.add(l.to);
    }
    for (const n of review.nodes) {
      if (n.label === "Agency" && n.review === "check" && !named.has(n.id)) n.review = "reject";
    }
    $("load").disabled = true;
    $("diff-pane").hidden = true;
    render();
  }

  function render() {
    renderText(null);
    renderTasks();
    renderAgencies();
    $("desk").hidden = false;
  }

  async function lookUpNames() {
    // The names of the graph's agencies the leads point to (the review carries only new ones).
    const ids = new Set(tasks().flatMap((t) => links(t, "LED_BY").map((l) => l.to)));
    const missing = [...ids].filter((id) => !byId(id) && !names.has(id));
    await Promise.all(missing.map(async (id) => {
      try {
        const node = await (await call("/api/nodes/" + encodeURIComponent(id))).json();
        names.set(id, (node.properties && node.properties.name) || node.name || id);
      } catch (e) { /* the id alone still says which agency */ }
    }));
    if (missing.length) renderTasks();
    $("tasks").dataset.names = "ready";
  }

  // --- search-as-you-type over the graph's agencies ----------------------------------------
  let pending = null;
  function suggest(q) {
    clearTimeout(pending);
    if (q.length < 2) return;
    pending = setTimeout(async () => {
      try {
        const answer = await (await call("/api/search?label=Agency&limit=15&q=" + encodeURIComponent(q))).json();
        const list = $("agency-list");
        list.textContent = "";
        for (const hit of answer.data) list.append(new Option(hit.name || hit.id, hit.id));
      } catch (e) { /* suggestions are a help, not a must */ }
    }, 150);
  }

  // --- the buttons ---------------------------------------------------------------------------
  $("read-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = new FormData();
    const file = $("file").files[0];
    if (file) form.append("file", file);
    else form.append("text", $("paste").value);
    status(tr("Đang đọc…", "Reading…"));
    try {
      const answer = await (await call("/api/review/read", {method: "POST", body: form})).json();
      review = answer.document;
      delete $("tasks").dataset.names;
      text = answer.text || "";
      loadedSource = null;
      $("loaded").hidden = true;
      $("diff-pane").hidden = true;
      $("load").disabled = true;
      render();
      status(tasks().length + tr(" nhiệm vụ đọc từ ", " tasks read from ") + review.review.file);
      lookUpNames();
    } catch (e) { status(e.message, true); }
  });

  $("diff").addEventListener("click", async () => {
    try {
      const answer = await (await postJSON("/api/review/diff", review)).json();
      const body = $("diff-table").tBodies[0];
      body.textContent = "";
      for (const row of answer.changes) {
        const tr = body.insertRow();
        tr.className = "diff-" + row.change;
        for (const key of ["change", "kind", "label", "id", "property", "old", "new"]) {
          const value = row[key];
          tr.insertCell().textContent = value === null || value === undefined ? "" : (typeof value === "object" ? JSON.stringify(value) : String(value));
        }
      }
      $("diff-totals").textContent = answer.totals;
      $("diff-pane").hidden = false;
      $("load").disabled = false;
      status(tr("Chưa ghi gì: ", "Nothing written yet: ") + answer.totals);
    } catch (e) { status(e.message, true); }
  });

  $("load").addEventListener("click", async () => {
    try {
      const answer = await (await postJSON("/api/review/load", review)).json();
      loadedSource = answer.source;
      const link = $("source-link");
      link.href = "/viz/node/" + encodeURIComponent(loadedSource);
      link.textContent = loadedSource;
      $("loaded").hidden = false;
      $("load").disabled = true;
      status(tr("Đã nạp: ", "Loaded: ") + answer.totals);
    } catch (e) { status(e.message, true); }
  });

  $("retract").addEventListener("click", async () => {
    if (!loadedSource) return;
    try {
      const answer = await (await postJSON("/api/review/retract", {source: loadedSource})).json();
      $("loaded").hidden = true;
      status(tr("Đã rút nguồn ", "Retracted ") + loadedSource + ": " + answer.totals);
      loadedSource = null;
    } catch (e) { status(e.message, true); }
  });

  $("download").addEventListener("click", async () => {
    try {
      const response = await postJSON("/api/review/yaml", review);
      const blob = await response.blob();
      const a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = (review.review.file || "review").replace(/\.[^.]+$/, "") + ".review.yaml";
      document.body.append(a);
      a.click();
      a.remove();
    } catch (e) { status(e.message, true); }
  });

  $("source-text").addEventListener("click", (event) => {
    const mark = event.target.closest("mark");
    if (!mark) return;
    const item = $("tasks").children[Number(mark.dataset.task)];
    if (item) { item.scrollIntoView({block: "center"}); item.classList.add("flash"); setTimeout(() => item.classList.remove("flash"), 800); }
  });
})();
