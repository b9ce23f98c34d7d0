// diemtin web page. Article text is untrusted: everything is rendered with DOM APIs and
// textContent, never innerHTML, so markup in an article stays text.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const state = { results: [], current: null, files: [], lastRequest: null, pinned: null };

  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const c of children) if (c != null) node.append(c); // strings become text nodes
    return node;
  }

  // ---------------------------------------------------------------- input

  function addBox(value = "") {
    const ta = el("textarea", {
      rows: "7",
      class: "article-box",
      "aria-label": "Bài báo",
      placeholder: "Tiêu đề bài báo\nNội dung bài báo…\n---\nTiêu đề bài tiếp theo\nNội dung…",
    });
    ta.value = value;
    const remove = el("button", {
      type: "button", class: "remove", title: "Xoá ô này", "aria-label": "Xoá ô này",
      onclick: () => { if ($("boxes").children.length > 1) wrap.remove(); else ta.value = ""; },
    }, "×");
    const wrap = el("div", { class: "box" }, ta, remove);
    $("boxes").append(wrap);
    return ta;
  }

  // One box may hold several articles separated by a line of three or more dashes.
  function pastedArticles() {
    const out = [];
    for (const ta of document.querySelectorAll(".article-box")) {
      for (const chunk of ta.value.split(/^[ \t]*-{3,}[ \t]*$/m)) {
        const lines = chunk.replace(/\r\n?/g, "\n").split("\n");
        while (lines.length && !lines[0].trim()) lines.shift();
        if (!lines.length) continue;
        const body = lines.slice(1).join("\n").trim();
        if (body) out.push({ title: lines[0].trim(), text: body });
        else out.push({ title: "", text: lines[0].trim() });
      }
    }
    return out;
  }

  function showFiles() {
    const list = $("file-list");
    list.replaceChildren();
    state.files.forEach((f, i) => {
      list.append(el("li", {}, `${f.name} (${Math.ceil(f.size / 1024)} KB) `,
        el("button", { type: "button", class: "link", onclick: () => { state.files.splice(i, 1); showFiles(); } }, "bỏ")));
    });
  }

  function addFiles(fileList) {
    for (const f of fileList) state.files.push(f);
    showFiles();
  }

  function settings() {
    const parts = ["summary", ...[...document.querySelectorAll("input[name=part]:checked")].map((c) => c.value)];
    return { words: parseInt($("words").value, 10), parts };
  }

  // Returns a function building fresh fetch options (a FormData body cannot be re-sent twice).
  function buildRequest() {
    const articles = pastedArticles();
    const { words, parts } = settings();
    if (!articles.length && !state.files.length) return null;
    const files = [...state.files];
    if (!files.length) {
      const body = JSON.stringify({ articles, words, parts });
      return () => ({ method: "POST", headers: { "Content-Type": "application/json" }, body });
    }
    return () => {
      const form = new FormData();
      for (const f of files) form.append("files", f, f.name);
      if (articles.length) {
        const jsonl = articles.map((a) => JSON.stringify(a)).join("\n");
        form.append("files", new Blob([jsonl], { type: "application/x-ndjson" }), "dan-vao.jsonl");
      }
      form.append("words", String(words));
      form.append("parts", parts.join(","));
      return { method: "POST", body: form };
    };
  }

  async function errorMessage(resp) {
    try {
      const data = await resp.json();
      let msg = data.error || resp.statusText;
      if (Array.isArray(data.detail)) {
        msg += ": " + data.detail.map((d) => (d.source ? `${d.source}: ${d.message}` : d.msg || JSON.stringify(d))).join("; ");
      }
      return `Lỗi ${resp.status}: ${msg}`;
    } catch {
      return `Lỗi ${resp.status}: ${resp.statusText}`;
    }
  }

  async function run() {
    const request = buildRequest();
    if (!request) { setStatus("Hãy dán ít nhất một bài báo hoặc chọn tệp.", true); return; }
    $("go").disabled = true;
    setStatus("Đang tóm tắt…");
    const t0 = performance.now();
    try {
      const resp = await fetch("/api/digest", request());
      if (!resp.ok) { setStatus(await errorMessage(resp), true); return; }
      const data = await resp.json();
      state.lastRequest = request;
      state.results = Array.isArray(data) ? data : [data];
      showClusterPicker();
      render(state.results[0]);
      setStatus(`Xong trong ${((performance.now() - t0) / 1000).toFixed(1)} giây.`);
    } catch (err) {
      setStatus(`Không gọi được máy chủ: ${err}`, true);
    } finally {
      $("go").disabled = false;
    }
  }

  function setStatus(text, isError = false) {
    $("status").textContent = text;
    $("status").classList.toggle("error", isError);
  }

  // ---------------------------------------------------------------- result

  function showClusterPicker() {
    const sel = $("cluster-select");
    sel.replaceChildren();
    state.results.forEach((r, i) => {
      const title = r.articles && r.articles[0] ? r.articles[0].title : "";
      sel.append(el("option", { value: String(i) }, `${i + 1}. ${title || r.cluster || ""}`));
    });
    $("cluster-pick").hidden = state.results.length < 2;
  }

  function articleNumber(id) {
    const i = state.current.articles.findIndex((a) => a.id === id);
    return i < 0 ? "?" : String(i + 1);
  }

  function sourceChips(sources) {
    const span = el("span", { class: "chips" });
    (sources || []).forEach((src) => {
      span.append(el("button", {
        type: "button", class: "chip", title: "Xem câu gốc",
        onclick: (e) => { e.stopPropagation(); pin(e.currentTarget.closest("li"), [src]); },
      }, `[${articleNumber(src.article)}]`));
    });
    return span;
  }

  // A list item that shows its sources on hover and pins them on click / Enter.
  function sourced(li, sources) {
    li.classList.add("sourced");
    li.tabIndex = 0;
    li.addEventListener("mouseenter", () => showSources(sources, false));
    li.addEventListener("mouseleave", () => { if (state.pinned) showSources(state.pinned.sources, false); });
    li.addEventListener("click", () => pin(li, sources));
    li.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); pin(li, sources); }
    });
    return li;
  }

  function pin(li, sources) {
    document.querySelectorAll(".sourced.active").forEach((n) => n.classList.remove("active"));
    if (li) li.classList.add("active");
    state.pinned = { li, sources };
    showSources(sources, true);
  }

  // "2022-01-10" -> "10/1/2022", "2021-12" -> "12/2021", ranges "a/b" -> "a – b" (as the Markdown does).
  // "XXXX" (year unspecified) is written without a year.
  function viDate(iso) {
    const unknown = String(iso || "").includes("XXXX");
    const one = (d) => {
      const [y, m, day] = d.split("-");
      const year = y === "XXXX" ? "" : `/${y}`;
      if (day) return `${Number(day)}/${Number(m)}${year}`;
      if (m) return year ? `${Number(m)}${year}` : `tháng ${Number(m)}`;
      return y || "";
    };
    return String(iso || "").split("/").map(one).join(" – ") + (unknown ? " (chưa rõ năm)" : "");
  }

  function render(data) {
    state.current = data;
    state.pinned = null;
    $("result").hidden = false;

    const summary = $("summary");
    summary.replaceChildren();
    for (const s of data.summary || []) {
      summary.append(sourced(el("li", {}, el("span", { class: "sentence" }, s.text), " ", sourceChips(s.sources)), s.sources));
    }
    if (!(data.summary || []).length) summary.append(el("li", { class: "empty" }, "(không có nội dung để tóm tắt)"));

    fill("timeline", data.timeline, (e) => sourced(el("li", {},
      el("span", { class: "date", title: e.date || "" }, viDate(e.date)), " ", el("span", {}, e.event || ""), " ", sourceChips(e.sources)), e.sources));

    const ents = data.entities || [];
    const people = ents.filter((e) => e.kind === "person");
    fill("entities", people.length ? people : ents, (e) => {
      const variants = (e.variants || []).filter((v) => v !== e.name);
      const mentions = (e.mentions || []).map((m) => ({ article: m.article, start: m.start, end: m.end }));
      const li = el("li", {}, el("strong", {}, e.name || ""),
        (e.roles || []).length ? el("span", { class: "roles" }, " — " + e.roles.join("; ")) : null,
        variants.length ? el("span", { class: "variants" }, ` (còn gọi: ${variants.join(", ")})`) : null);
      return mentions.length ? sourced(li, mentions) : li;
    });

    fill("quotes", data.quotes, (q) => {
      const text = q.direct ? `“${q.text}”` : q.text;
      return sourced(el("li", {}, el("strong", {}, q.speaker_name || "(không rõ người nói)"), ": ",
        el("span", { class: q.direct ? "direct" : "indirect" }, text || ""), " ", sourceChips([q.source])), [q.source]);
    });

    fill("figures", data.figures, (f) => {
      const values = el("ul", { class: "values" });
      for (const v of f.values || []) {
        values.append(sourced(el("li", {}, el("span", {}, v.text || ""), " ", sourceChips([v.source])), [v.source]));
      }
      return el("li", { class: f.conflict ? "conflict" : "" },
        el("span", { class: "quantity" }, f.quantity || ""),
        f.conflict ? el("span", { class: "badge" }, "không khớp") : null, values);
    });

    fill("problems", data.problems, (p) => el("li", {}, el("code", {}, p.source || ""), ": " + (p.message || ""),
      p.fatal === false ? el("span", { class: "muted" }, " (cảnh báo)") : el("span", { class: "muted" }, " (bỏ qua)")));

    const st = data.stats || {};
    $("stats").textContent = [
      st.articles != null ? `${st.articles} bài` : null,
      st.duplicates && st.duplicates.length ? `${st.duplicates.length} bài trùng` : null,
      st.sentences != null ? `${st.sentences} câu` : null,
      st.summary_syllables != null ? `tóm tắt ${st.summary_syllables} chữ` : null,
    ].filter(Boolean).join(" · ");

    renderSourceList();
    const first = (data.summary || [])[0];
    showArticle(first && first.sources[0] ? first.sources[0].article : (data.articles[0] || {}).id, []);
  }

  function fill(name, items, make) {
    const list = $(name);
    list.replaceChildren();
    for (const item of items || []) list.append(make(item));
    $(`sec-${name}`).hidden = !(items || []).length;
  }

  function renderSourceList() {
    const list = $("sources");
    list.replaceChildren();
    state.current.articles.forEach((a) => {
      list.append(el("li", {}, el("button", {
        type: "button", class: "link", "data-article": a.id,
        onclick: () => showArticle(a.id, []),
      }, a.title || a.id)));
    });
  }

  // Shows the article of the first source and marks every source range inside it.
  function showSources(sources, scroll) {
    const refs = (sources || []).filter((s) => s && typeof s.start === "number");
    if (!refs.length) return;
    showArticle(refs[0].article, refs.filter((s) => s.article === refs[0].article), scroll);
  }

  function showArticle(id, ranges, scroll = false) {
    const a = (state.current.articles || []).find((x) => x.id === id);
    if (!a) return;
    document.querySelectorAll("#sources button").forEach((b) => b.classList.toggle("current", b.dataset.article === id));
    $("article-title").textContent = `[${articleNumber(id)}] ${a.title || a.id}`;
    $("article-meta").textContent = [a.published, a.site, a.url, a.duplicate_of ? `trùng với ${a.duplicate_of}` : null]
      .filter(Boolean).join(" · ");
    const text = a.text || "";
    const box = $("article-text");
    box.replaceChildren();
    // Text nodes + <mark> elements; offsets index the same string the server sent.
    const sorted = ranges.map((r, i) => ({ ...r, primary: i === 0 })).sort((x, y) => x.start - y.start);
    let pos = 0;
    let primary = null;
    for (const r of sorted) {
      const start = Math.max(r.start, pos);
      const end = Math.min(r.end, text.length);
      if (end <= start) continue;
      box.append(text.slice(pos, start));
      const mark = el("mark", { class: r.primary ? "hl hl-primary" : "hl" }, text.slice(start, end));
      if (r.primary) primary = mark;
      box.append(mark);
      pos = end;
    }
    box.append(text.slice(pos));
    // Scroll only the (sticky) viewer, not the page the reader is looking at.
    const viewer = box.closest(".viewer");
    if (primary && scroll && viewer) {
      viewer.scrollTo({ top: Math.max(0, primary.offsetTop - viewer.clientHeight / 3), behavior: "smooth" });
    }
  }

  // ---------------------------------------------------------------- downloads

  function download(name, blob) {
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  async function downloadMarkdown() {
    if (!state.lastRequest) return;
    setStatus("Đang tạo Markdown…");
    const resp = await fetch("/api/digest?format=md", state.lastRequest());
    if (!resp.ok) { setStatus(await errorMessage(resp), true); return; }
    download("diem-tin.md", new Blob([await resp.text()], { type: "text/markdown;charset=utf-8" }));
    setStatus("Đã tải Markdown.");
  }

  // ---------------------------------------------------------------- wiring

  document.addEventListener("DOMContentLoaded", () => {
    addBox();
    $("add-box").addEventListener("click", () => addBox().focus());
    $("go").addEventListener("click", run);
    $("files").addEventListener("change", (e) => { addFiles(e.target.files); e.target.value = ""; });
    const dz = $("dropzone");
    dz.addEventListener("dragover", (e) => { e.preventDefault(); dz.classList.add("over"); });
    dz.addEventListener("dragleave", () => dz.classList.remove("over"));
    dz.addEventListener("drop", (e) => { e.preventDefault(); dz.classList.remove("over"); addFiles(e.dataTransfer.files); });
    $("cluster-select").addEventListener("change", (e) => render(state.results[parseInt(e.target.value, 10)]));
    $("dl-json").addEventListener("click", () => {
      const data = state.results.length === 1 ? state.results[0] : state.results;
      download("diem-tin.json", new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
    });
    $("dl-md").addEventListener("click", downloadMarkdown);
  });
})();
