// diemtin web page. Article text is untrusted: everything is rendered with DOM APIs and
// textContent, never innerHTML, so markup in an article stays text.
// Dates come already written the Vietnamese way by the server (`date_text`, `published_text`):
// the page has no date formatter of its own. The list of parts comes from /api/parts.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const state = { results: [], current: null, files: [], lastRequest: null, pinned: null, timer: null };

  // How much of each long part is shown before "Xem thêm".
  const SHOWN = { timeline: 8, people: 8, orgs: 8, speakers: 5, quotesPerSpeaker: 2, figures: 6, words: 40 };
  const SHEET_QUERY = "(max-width: 900px)"; // same breakpoint as app.css

  // Vietnamese text for the API's machine-readable `error` codes, used when the answer has no
  // `message`; then by HTTP status.
  const ERROR_TEXT = {
    invalid_json: "Dữ liệu gửi lên không phải JSON hợp lệ.",
    invalid_encoding: "Dữ liệu gửi lên không phải văn bản UTF-8 hợp lệ.",
    invalid_number: "Một con số trong yêu cầu không hợp lệ.",
    json_too_deep: "Dữ liệu JSON lồng nhau quá sâu.",
    not_an_object: "Yêu cầu phải là một đối tượng JSON có danh sách bài báo.",
    articles_missing: "Chưa có bài báo nào trong yêu cầu.",
    no_files: "Chưa có tệp nào được gửi lên.",
    field_is_file: "Một trường của biểu mẫu được gửi như tệp.",
    malformed_multipart: "Biểu mẫu gửi lên bị hỏng.",
    invalid_parameter: "Tham số không hợp lệ.",
    invalid_request: "Yêu cầu không hợp lệ.",
    invalid_words: "Độ dài tóm tắt không hợp lệ.",
    invalid_parts: "Danh sách phần không hợp lệ.",
    unknown_parts: "Có phần không tồn tại trong danh sách phần.",
    no_usable_article: "Không có bài báo nào dùng được: sau khi đọc và làm sạch, không còn nội dung để tóm tắt.",
    too_many_articles: "Quá nhiều bài báo trong một lần gửi.",
    body_too_large: "Dữ liệu gửi lên quá lớn.",
    invalid_content_length: "Độ dài dữ liệu khai báo không hợp lệ.",
    unsupported_media_type: "Kiểu dữ liệu gửi lên không được hỗ trợ.",
    content_type: "Kiểu dữ liệu gửi lên không được hỗ trợ.",
    origin_forbidden: "Yêu cầu từ trang khác bị từ chối.",
    invalid_host: "Địa chỉ máy chủ trong yêu cầu không được chấp nhận.",
    method_not_allowed: "Phương thức không được hỗ trợ ở địa chỉ này.",
    not_found: "Không tìm thấy địa chỉ này trên máy chủ.",
    header_timeout: "Gửi yêu cầu quá chậm.",
    body_timeout: "Gửi dữ liệu quá chậm.",
    busy: "Máy chủ đang bận, hãy thử lại sau ít giây.",
    timeout: "Quá thời gian xử lý: hãy gửi ít bài hơn hoặc bài ngắn hơn.",
    worker_lost: "Tiến trình xử lý bị dừng giữa chừng; hãy thử lại.",
    internal_error: "Máy chủ gặp lỗi khi xử lý.",
  };
  const STATUS_TEXT = {
    400: "Yêu cầu không hợp lệ.",
    403: "Yêu cầu bị từ chối.",
    404: "Không tìm thấy địa chỉ này trên máy chủ.",
    413: "Dữ liệu gửi lên quá lớn hoặc quá nhiều bài.",
    415: "Kiểu dữ liệu gửi lên không được hỗ trợ.",
    422: "Không có bài báo nào dùng được: sau khi đọc và làm sạch, không còn nội dung để tóm tắt.",
    429: "Gửi quá nhiều yêu cầu, hãy thử lại sau.",
    503: "Máy chủ đang bận, hãy thử lại sau ít giây.",
    504: "Quá thời gian xử lý: hãy gửi ít bài hơn hoặc bài ngắn hơn.",
  };

  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (v == null) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const c of children) if (c != null) node.append(c); // strings become text nodes
    return node;
  }

  // "articles[0]" (the API's name for the first pasted article) -> "bài 1".
  const sourceName = (src) => String(src || "").replace(/^articles\[(\d+)\]/, (_, i) => `bài ${Number(i) + 1}`);

  // Problem text with the command-line options (`--split`) shown as code that does not break.
  function withCode(text) {
    const span = el("span");
    String(text).split(/(--[a-z][a-z-]*)/).forEach((piece, i) => span.append(i % 2 ? el("code", { class: "nowrap" }, piece) : piece));
    return span;
  }

  const VIETNAMESE = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i;

  const sheetMode = () => window.matchMedia(SHEET_QUERY).matches;

  // ---------------------------------------------------------------- input

  function addBox(value = "") {
    const n = $("boxes").children.length + 1;
    const ta = el("textarea", {
      rows: "7",
      class: "article-box",
      "aria-label": `Bài báo ${n}`,
      placeholder: "Tiêu đề bài báo\nNội dung bài báo…\n---\nTiêu đề bài tiếp theo\nNội dung…",
    });
    ta.value = value;
    const remove = el("button", {
      type: "button", class: "remove", title: "Xoá ô này", "aria-label": `Xoá ô bài báo ${n}`,
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
        el("button", { type: "button", class: "link", "aria-label": `Bỏ tệp ${f.name}`,
          onclick: () => { state.files.splice(i, 1); showFiles(); } }, "bỏ")));
    });
  }

  function addFiles(fileList) {
    for (const f of fileList) state.files.push(f);
    showFiles();
  }

  // The parts checkboxes, from the server's list (the summary is always made).
  async function loadParts() {
    try {
      const resp = await fetch("/api/parts");
      if (!resp.ok) return;
      const { parts } = await resp.json();
      const box = $("parts");
      for (const p of parts || []) {
        document.querySelectorAll(`[data-part-title="${p.name}"]`).forEach((h) => { if (p.title) h.textContent = p.title; });
        // The first part (the summary) is what a digest is: always made, shown checked.
        const always = p === parts[0];
        box.append(el("label", {}, el("input", { type: "checkbox", name: "part", value: p.name, checked: "",
          disabled: always ? "" : null }), " " + (p.short || p.title || p.name)));
      }
      box.hidden = !box.querySelector("input");
    } catch {
      // Without the list the page still works: the server then makes every part.
    }
  }

  function settings() {
    const boxes = [...document.querySelectorAll("input[name=part]")];
    const parts = boxes.length ? boxes.filter((c) => c.checked).map((c) => c.value) : null;
    return { words: parseInt($("words").value, 10), parts };
  }

  // Returns a function building fresh fetch options (a FormData body cannot be re-sent twice).
  function buildRequest() {
    const articles = pastedArticles();
    const { words, parts } = settings();
    if (!articles.length && !state.files.length) return null;
    const files = [...state.files];
    const count = articles.length + files.length;
    if (!files.length) {
      const body = JSON.stringify(parts ? { articles, words, parts } : { articles, words });
      return { count, make: () => ({ method: "POST", headers: { "Content-Type": "application/json" }, body }) };
    }
    return { count, make: () => {
      const form = new FormData();
      for (const f of files) form.append("files", f, f.name);
      if (articles.length) {
        const jsonl = articles.map((a) => JSON.stringify(a)).join("\n");
        form.append("files", new Blob([jsonl], { type: "application/x-ndjson" }), "dan-vao.jsonl");
      }
      form.append("words", String(words));
      if (parts) form.append("parts", parts.join(","));
      return { method: "POST", body: form };
    } };
  }

  // The API answers errors as {"error": code, "message": Vietnamese text, "detail": ...}.
  async function errorMessage(resp) {
    let data = null;
    try { data = await resp.json(); } catch { /* not JSON: fall back to the status */ }
    const code = data && typeof data.error === "string" ? data.error : "";
    let msg = data && typeof data.message === "string" && data.message ? data.message
      : ERROR_TEXT[code] || STATUS_TEXT[resp.status] || "Máy chủ không xử lý được yêu cầu.";
    const details = data && Array.isArray(data.detail) ? data.detail.filter((d) => d && d.source) : [];
    // Each input's reason too, when it is written in Vietnamese (letters only Vietnamese uses).
    const why = (d) => (typeof d.message === "string" && VIETNAMESE.test(d.message) ? ` (${d.message})` : "");
    if (details.length) msg += " Đầu vào gặp lỗi: " + details.map((d) => sourceName(d.source) + why(d)).join("; ") + ".";
    return `${msg} (mã lỗi ${resp.status})`;
  }

  function startProgress(count) {
    const t0 = performance.now();
    const label = `Đang đọc, làm sạch và tóm tắt ${count} bài`;
    $("progress").hidden = false;
    $("result").setAttribute("aria-busy", "true");
    setStatus(`${label}…`);
    state.timer = setInterval(() => {
      setStatus(`${label}… ${Math.floor((performance.now() - t0) / 1000)} giây`);
    }, 1000);
    return t0;
  }

  function stopProgress() {
    clearInterval(state.timer);
    $("progress").hidden = true;
    $("result").removeAttribute("aria-busy");
  }

  async function run() {
    const request = buildRequest();
    if (!request) { setStatus("Hãy dán ít nhất một bài báo hoặc chọn tệp.", true); return; }
    $("go").disabled = true;
    const t0 = startProgress(request.count);
    try {
      const resp = await fetch("/api/digest", request.make());
      if (!resp.ok) { stopProgress(); setStatus(await errorMessage(resp), true); return; }
      const data = await resp.json();
      stopProgress();
      state.lastRequest = request.make;
      state.results = Array.isArray(data) ? data : [data];
      showClusterPicker();
      render(state.results[0]);
      setStatus(`Xong trong ${((performance.now() - t0) / 1000).toFixed(1).replace(".", ",")} giây.`);
      bringIntoView();
    } catch (err) {
      stopProgress();
      setStatus("Không kết nối được với máy chủ diemtin. Máy chủ còn chạy không?", true);
    } finally {
      $("go").disabled = false;
    }
  }

  // The digest is what the reader came for: bring it to the top of the window.
  function bringIntoView() {
    const title = $("result-title");
    title.scrollIntoView({ block: "start" });
    title.focus({ preventScroll: true });
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
    const seen = new Set();
    (sources || []).forEach((src) => {
      const n = articleNumber(src.article);
      if (seen.has(n)) return;
      seen.add(n);
      span.append(el("button", {
        type: "button", class: "chip", title: `Xem câu gốc trong bài ${n}`, "aria-label": `Xem câu gốc trong bài ${n}`,
        onclick: (e) => { e.stopPropagation(); pin(e.currentTarget.closest(".sourced"), [src]); },
      }, `[${n}]`));
    });
    return span;
  }

  // An item that shows its sources on hover and pins them on click / Enter.
  function sourced(node, sources) {
    node.classList.add("sourced");
    node.tabIndex = 0;
    node.addEventListener("mouseenter", () => { if (!sheetMode()) showSources(sources, false); });
    node.addEventListener("mouseleave", () => { if (state.pinned && !sheetMode()) showSources(state.pinned.sources, false); });
    node.addEventListener("click", () => pin(node, sources));
    node.addEventListener("keydown", (e) => {
      if (e.target === node && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); pin(node, sources); }
    });
    return node;
  }

  function pin(node, sources) {
    document.querySelectorAll(".sourced.active").forEach((n) => n.classList.remove("active"));
    if (node) node.classList.add("active");
    state.pinned = { node, sources };
    showSources(sources, true, node);
  }

  // A long text cut after SHOWN.words words ("…"); the whole of it once its item is chosen.
  function clipped(text, cls) {
    const words = text.split(/\s+/);
    if (words.length <= SHOWN.words + 10) return el("span", { class: cls }, text);
    return el("span", { class: cls }, el("span", { class: "short" }, words.slice(0, SHOWN.words).join(" ") + " …"),
      el("span", { class: "full" }, text));
  }

  // "Xem thêm": the first `shown` items now, the rest on demand.
  function withMore(list, items, shown, make, label) {
    list.replaceChildren();
    items.slice(0, shown).forEach((it) => list.append(make(it)));
    const rest = items.length - shown;
    if (rest <= 0) return null;
    const btn = el("button", { type: "button", class: "more", "aria-expanded": "false" }, label(rest));
    btn.addEventListener("click", () => {
      items.slice(shown).forEach((it) => list.append(make(it)));
      btn.remove();
    });
    return btn;
  }

  function section(name, count, countText) {
    const sec = $(`sec-${name}`);
    sec.hidden = !count;
    const c = sec.querySelector(".count");
    if (c) c.textContent = count ? `(${countText || count})` : "";
    sec.querySelectorAll(":scope > .more").forEach((b) => b.remove());
    return sec;
  }

  function render(data) {
    state.current = data;
    state.pinned = null;
    closeSheet();
    $("result").hidden = false;
    const asked = (data.stats && Array.isArray(data.stats.parts)) ? data.stats.parts : null;
    const isAsked = (p) => !asked || asked.includes(p);

    // Summary
    const summary = $("summary");
    summary.replaceChildren();
    for (const s of data.summary || []) {
      summary.append(sourced(el("li", {}, el("span", { class: "sentence" }, s.text), " ", sourceChips(s.sources)), s.sources));
    }
    if (!(data.summary || []).length) summary.append(el("li", { class: "empty" }, "(không có nội dung để tóm tắt)"));
    $("sec-summary").hidden = !isAsked("summary");

    renderTimeline(data.timeline || []);
    renderEntities(data.entities || []);
    renderQuotes(data.quotes || [], data.entities || []);
    renderFigures(data.figures || []);
    renderProblems(data);

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

  // Timeline: one line per date with its best-sourced event (the other events of the day on
  // demand); the best-sourced dates first, all of them on demand, always in date order.
  function renderTimeline(entries) {
    const byDate = new Map();
    for (const e of entries) {
      if (!byDate.has(e.date)) byDate.set(e.date, { date: e.date, text: e.date_text || e.date, events: [], seen: new Set(), order: byDate.size });
      const m = byDate.get(e.date);
      const key = (e.event || "").trim().toLowerCase();
      if (m.seen.has(key)) continue; // the same event told twice
      m.seen.add(key);
      m.events.push(e);
    }
    const weight = (e) => new Set((e.sources || []).map((s) => s.article)).size;
    const moments = [...byDate.values()];
    for (const m of moments) {
      m.events.sort((a, b) => weight(b) - weight(a) || (a.planned || a.deadline ? 1 : 0) - (b.planned || b.deadline ? 1 : 0));
      m.weight = new Set(m.events.flatMap((e) => (e.sources || []).map((s) => s.article))).size;
    }
    const top = new Set([...moments].sort((a, b) => b.weight - a.weight || b.events.length - a.events.length || b.order - a.order)
      .slice(0, SHOWN.timeline));
    const list = $("timeline");
    const make = (m) => {
      const best = m.events[0];
      // an event every source tells as still to come, or a date every source gives as a limit,
      // is marked, as in the Markdown briefing
      const planned = best.deadline ? el("span", { class: "planned" }, " (thời hạn)")
        : best.planned ? el("span", { class: "planned" }, " (dự kiến)") : null;
      const li = sourced(el("li", {}, el("span", { class: "date" }, m.text), planned, " — ", clipped(best.event || "", "event"), " ",
        sourceChips(best.sources)), best.sources);
      if (m.events.length > 1) {
        const others = el("ul", { class: "same-day" });
        const btn = el("button", { type: "button", class: "more", "aria-expanded": "false" }, `+${m.events.length - 1} sự kiện khác cùng ngày`);
        btn.addEventListener("click", (ev) => {
          ev.stopPropagation();
          for (const e of m.events.slice(1)) others.append(sourced(el("li", {}, clipped(e.event || "", "event"), " ", sourceChips(e.sources)), e.sources));
          btn.remove();
        });
        li.append(" ", btn, others);
      }
      return li;
    };
    const shown = moments.filter((m) => top.has(m));
    list.replaceChildren(...shown.map(make));
    const sec = section("timeline", moments.length, `${moments.length} mốc`);
    if (moments.length > shown.length) {
      const btn = el("button", { type: "button", class: "more" }, `Xem thêm ${moments.length - shown.length} mốc thời gian`);
      btn.addEventListener("click", () => { list.replaceChildren(...moments.map(make)); btn.remove(); });
      sec.append(btn);
    }
  }

  function entityLine(e) {
    const variants = (e.variants || []).filter((v) => v !== e.name);
    const mentions = (e.mentions || []).map((m) => ({ article: m.article, start: m.start, end: m.end }));
    const li = el("li", {}, el("strong", {}, e.name || ""),
      (e.roles || []).length ? el("span", { class: "roles" }, " — " + e.roles.slice(0, 2).join("; ")) : null,
      variants.length ? el("span", { class: "variants" }, ` (còn gọi: ${variants.slice(0, 3).join(", ")})`) : null);
    return mentions.length ? sourced(li, mentions) : li;
  }

  function renderEntities(ents) {
    const people = ents.filter((e) => e.kind === "person");
    const orgs = ents.filter((e) => e.kind === "organization");
    const list = $("entities");
    const sec = section("entities", people.length + orgs.length, `${people.length} người, ${orgs.length} tổ chức`);
    const more = withMore(list, people, SHOWN.people, entityLine, (n) => `Xem thêm ${n} người`);
    if (more) sec.append(more);
    sec.querySelectorAll(".orgs").forEach((n) => n.remove());
    if (orgs.length) {
      const names = orgs.map((o) => o.name);
      const p = el("p", { class: "orgs" }, el("strong", {}, "Tổ chức: "), names.slice(0, SHOWN.orgs).join(", "));
      if (names.length > SHOWN.orgs) {
        const btn = el("button", { type: "button", class: "more" }, ` và ${names.length - SHOWN.orgs} tổ chức khác`);
        btn.addEventListener("click", () => { p.replaceChildren(el("strong", {}, "Tổ chức: "), names.join(", ")); });
        p.append(" ", btn);
      }
      sec.append(p);
    }
  }

  // Quotes under the merged person of who's who (the quote's `speaker` id); a quote whose
  // speaker is not resolved (`speaker` null) goes under "Chưa rõ người nói", last.
  function renderQuotes(quotes, ents) {
    const byId = new Map(ents.map((e) => [e.id, e]));
    const groups = new Map();
    const unknown = [];
    for (const q of quotes) {
      if (!q.speaker) { unknown.push(q); continue; }
      if (!groups.has(q.speaker)) groups.set(q.speaker, []);
      groups.get(q.speaker).push(q);
    }
    const ranked = [...groups.entries()].sort((a, b) => b[1].length - a[1].length).map(([id, qs]) => {
      const ent = byId.get(id);
      return { name: ent ? ent.name : (qs.find((q) => q.speaker_name) || {}).speaker_name || "chưa rõ người nói",
        role: ent && ent.roles && ent.roles[0], quotes: qs };
    });
    if (unknown.length) ranked.push({ name: null, quotes: unknown });
    for (const g of ranked) g.quotes.sort((a, b) => (b.direct ? 1 : 0) - (a.direct ? 1 : 0));

    const box = $("quotes");
    const sec = section("quotes", quotes.length, `${quotes.length} phát ngôn, ${groups.size} người nói`);
    const quoteItem = (q, unresolved) => {
      const text = q.direct ? `“${q.text}”` : q.text;
      const written = unresolved && q.speaker_name && q.speaker_name.trim().split(/\s+/).length > 1 ? q.speaker_name : null;
      return sourced(el("li", {}, clipped(text || "", q.direct ? "direct" : "indirect"),
        written ? el("span", { class: "muted" }, ` (bài viết ghi: ${written})`) : null, " ", sourceChips([q.source])), [q.source]);
    };
    const makeGroup = (g) => {
      const wrap = el("div", { class: "speaker-group" });
      const head = g.name === null
        ? el("h4", { class: "speaker unknown" }, "Chưa rõ người nói", el("span", { class: "count" }, ` (${g.quotes.length})`))
        : el("h4", { class: "speaker" }, g.name, g.role ? el("span", { class: "roles" }, ` — ${g.role}`) : null,
          el("span", { class: "count" }, ` (${g.quotes.length})`));
      const list = el("ul", { class: "quote-list" });
      wrap.append(head, list);
      const more = withMore(list, g.quotes, SHOWN.quotesPerSpeaker, (q) => quoteItem(q, g.name === null), (n) => `Xem thêm ${n} phát ngôn`);
      if (more) wrap.append(more);
      return wrap;
    };
    const more = withMore(box, ranked, SHOWN.speakers, makeGroup, (n) => `Xem thêm ${n} người nói`);
    if (more) sec.append(more);
  }

  function renderFigures(figures) {
    const sorted = [...figures].sort((a, b) => (b.conflict ? 1 : 0) - (a.conflict ? 1 : 0));
    const conflicts = figures.filter((f) => f.conflict).length;
    const sec = section("figures", figures.length, conflicts ? `${figures.length}, ${conflicts} không khớp` : figures.length);
    const make = (f) => {
      const values = el("ul", { class: "values" });
      for (const v of f.values || []) {
        values.append(sourced(el("li", {}, el("span", {}, v.text || ""), " ", sourceChips([v.source])), [v.source]));
      }
      return el("li", { class: f.conflict ? "conflict" : null },
        el("span", { class: "quantity" }, f.quantity || ""),
        f.conflict ? el("span", { class: "badge" }, "các nguồn không khớp") : el("span", { class: "muted" }, " (các nguồn khớp)"), values);
    };
    const more = withMore($("figures"), sorted, SHOWN.figures, make, (n) => `Xem thêm ${n} số liệu`);
    if (more) sec.append(more);
  }

  // Problems: Vietnamese text (`message_vi`) when the server has one. A warning about the
  // whole pile (e.g. it looks like several stories) is also shown above the digest.
  function renderProblems(data) {
    const problems = data.problems || [];
    const text = (p) => p.message_vi || p.message || "";
    const list = $("problems");
    list.replaceChildren(...problems.map((p) => el("li", {}, el("code", {}, sourceName(p.source)), ": ", withCode(text(p)),
      el("span", { class: "muted" }, p.fatal === false ? " (cảnh báo)" : " (bỏ qua)"))));
    section("problems", problems.length);
    const pile = problems.filter((p) => p.source === data.cluster && p.fatal === false);
    const notice = $("notice");
    notice.replaceChildren(...pile.map((p) => el("p", {}, el("strong", {}, "Lưu ý: "), withCode(text(p)))));
    notice.hidden = !pile.length;
  }

  function renderSourceList() {
    const list = $("sources");
    list.replaceChildren();
    state.current.articles.forEach((a, i) => {
      const meta = [a.published_text || a.published, a.site, a.duplicate_of ? `trùng với bài ${articleNumber(a.duplicate_of)}` : null]
        .filter(Boolean).join(" · ");
      list.append(el("li", {}, el("span", { class: "num" }, `[${i + 1}]`),
        el("span", {}, el("button", { type: "button", class: "link", "data-article": a.id,
          onclick: () => { showArticle(a.id, [], true); if (sheetMode()) openSheet(); } }, a.title || a.id),
        meta ? el("span", { class: "src-meta" }, meta) : null)));
    });
  }

  // Shows the article of the first source and marks every source range inside it.
  function showSources(sources, scroll, from) {
    const refs = (sources || []).filter((s) => s && typeof s.start === "number");
    if (!refs.length) return;
    if (scroll && sheetMode()) openSheet();
    showArticle(refs[0].article, refs.filter((s) => s.article === refs[0].article), scroll, from);
  }

  function openSheet() {
    $("viewer").classList.add("open");
    document.body.classList.add("sheet-open");
  }

  function closeSheet() {
    $("viewer").classList.remove("open");
    document.body.classList.remove("sheet-open");
  }

  // The article as paragraphs (one per line of the cleaned text), with <mark>s on the ranges;
  // offsets index the same string the server sent.
  function articleParagraphs(text, ranges) {
    const sorted = ranges.map((r, i) => ({ ...r, primary: i === 0 })).sort((x, y) => x.start - y.start);
    const runs = [];
    let pos = 0;
    for (const r of sorted) {
      const start = Math.max(r.start, pos);
      const end = Math.min(r.end, text.length);
      if (end <= start) continue;
      runs.push({ text: text.slice(pos, start) }, { text: text.slice(start, end), mark: r.primary ? "hl hl-primary" : "hl" });
      pos = end;
    }
    runs.push({ text: text.slice(pos) });
    const paras = [el("p")];
    let primary = null;
    for (const run of runs) {
      run.text.split("\n").forEach((piece, i) => {
        if (i > 0) paras.push(el("p"));
        if (!piece) return;
        const p = paras[paras.length - 1];
        if (run.mark) {
          const m = el("mark", { class: run.mark }, piece);
          if (run.mark.includes("primary") && !primary) primary = m;
          p.append(m);
        } else p.append(piece);
      });
    }
    return { paras: paras.filter((p) => p.childNodes.length), primary };
  }

  function showArticle(id, ranges, scroll = false, from = null) {
    const a = (state.current.articles || []).find((x) => x.id === id);
    if (!a) return;
    document.querySelectorAll("#sources button").forEach((b) => b.classList.toggle("current", b.dataset.article === id));
    $("viewer-title").textContent = `Bài gốc [${articleNumber(id)}]`;
    $("article-title").textContent = a.title || a.id;
    $("article-meta").textContent = [a.published_text || a.published, a.site, a.url,
      a.duplicate_of ? `trùng với bài ${articleNumber(a.duplicate_of)}` : null].filter(Boolean).join(" · ");
    const { paras, primary } = articleParagraphs(a.text || "", ranges);
    $("article-text").replaceChildren(...paras);
    const viewer = $("viewer");
    if (!scroll) return;
    if (!primary) { viewer.scrollTop = 0; return; }
    // Scroll only the viewer (sticky column or phone sheet), not the page the reader is on.
    const top = primary.getBoundingClientRect().top - viewer.getBoundingClientRect().top + viewer.scrollTop;
    viewer.scrollTop = Math.max(0, top - viewer.clientHeight / 3);
    keepInView(viewer, from);
  }

  // The viewer must be on screen, and on a phone the tapped line must stay visible above the sheet.
  function keepInView(viewer, from) {
    const vh = window.innerHeight;
    if (sheetMode()) {
      if (!from) return;
      const free = vh - viewer.getBoundingClientRect().height;
      const r = from.getBoundingClientRect();
      if (r.bottom > free - 8 || r.top < 0) window.scrollBy(0, r.top - Math.max(8, (free - r.height) / 2));
      return;
    }
    const r = viewer.getBoundingClientRect();
    if (r.top < 0 || r.top > vh * 0.6) window.scrollBy(0, r.top - 12);
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
    setStatus("Đang tạo bản Markdown…");
    try {
      const resp = await fetch("/api/digest?format=md", state.lastRequest());
      if (!resp.ok) { setStatus(await errorMessage(resp), true); return; }
      download("diem-tin.md", new Blob([await resp.text()], { type: "text/markdown;charset=utf-8" }));
      setStatus("Đã tải bản Markdown.");
    } catch {
      setStatus("Không kết nối được với máy chủ diemtin. Máy chủ còn chạy không?", true);
    }
  }

  // ---------------------------------------------------------------- wiring

  document.addEventListener("DOMContentLoaded", () => {
    addBox();
    loadParts();
    $("add-box").addEventListener("click", () => addBox().focus());
    $("go").addEventListener("click", run);
    $("files").addEventListener("change", (e) => { addFiles(e.target.files); e.target.value = ""; });
    const dz = $("dropzone");
    dz.addEventListener("dragover", (e) => { e.preventDefault(); dz.classList.add("over"); });
    dz.addEventListener("dragleave", () => dz.classList.remove("over"));
    dz.addEventListener("drop", (e) => { e.preventDefault(); dz.classList.remove("over"); addFiles(e.dataTransfer.files); });
    $("cluster-select").addEventListener("change", (e) => render(state.results[parseInt(e.target.value, 10)]));
    $("viewer-close").addEventListener("click", () => {
      closeSheet();
      if (state.pinned && state.pinned.node) state.pinned.node.focus({ preventScroll: true });
    });
    document.addEventListener("keydown", (e) => { if (e.key === "Escape" && $("viewer").classList.contains("open")) closeSheet(); });
    $("dl-json").addEventListener("click", () => {
      const data = state.results.length === 1 ? state.results[0] : state.results;
      download("diem-tin.json", new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
    });
    $("dl-md").addEventListener("click", downloadMarkdown);
  });
})();
