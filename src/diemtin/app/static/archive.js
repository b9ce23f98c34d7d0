// The archive page: story list, search, a story's digest and its "mới cập nhật" update.
// Every text from the server goes through textContent: article text is never HTML.
"use strict";

const $ = (id) => document.getElementById(id);

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
}

function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

async function getJSON(url) {
  const res = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.message || ("Lỗi " + res.status + (body.error ? " (" + body.error + ")" : "")));
  return body;
}

function since() { return $("since").value || ""; }

function storyItem(s, withUpdate) {
  const li = el("li");
  const a = el("a", s.title || ("Câu chuyện " + s.id));
  a.href = "#story-" + s.id;
  a.addEventListener("click", (e) => { e.preventDefault(); showStory(s.id, withUpdate ? since() : ""); });
  li.appendChild(a);
  li.appendChild(el("span", " — " + s.size + " bài, " + (s.first_seen_text || "") + " → " + (s.last_seen_text || ""), "hint"));
  return li;
}

async function loadStories(onlyUpdates) {
  const list = $("stories");
  clear(list); clear($("hits"));
  const s = onlyUpdates ? since() : "";
  if (onlyUpdates && !s) { $("status").textContent = "Chọn một ngày để xem các câu chuyện mới cập nhật."; return; }
  $("status").textContent = "Đang tải…";
  try {
    const data = await getJSON("/api/archive/stories?limit=100" + (s ? "&since=" + encodeURIComponent(s) : ""));
    $("status").textContent = data.stories.length
      ? (s ? "Câu chuyện có bài mới từ " + s : "Kho có " + data.counts.articles + " bài, " + data.counts.stories + " câu chuyện; mới nhất trước.")
      : "Chưa có câu chuyện nào.";
    for (const story of data.stories) list.appendChild(storyItem(story, !!s));
  } catch (err) { $("status").textContent = err.message; }
}

async function search(q) {
  clear($("stories")); clear($("hits"));
  $("status").textContent = "Đang tìm…";
  try {
    const data = await getJSON("/api/archive/search?q=" + encodeURIComponent(q));
    $("status").textContent = (data.stories.length + data.articles.length) ? "Kết quả cho “" + q + "”" : "Không tìm thấy kết quả.";
    for (const s of data.stories) $("stories").appendChild(storyItem(s, false));
    const ul = el("ul");
    for (const a of data.articles) {
      const li = el("li");
      const link = el("a", a.title || a.id);
      link.href = "#story-" + a.story;
      link.addEventListener("click", (e) => { e.preventDefault(); showStory(a.story, ""); });
      li.appendChild(link);
      li.appendChild(el("div", a.snippet, "hint"));
      ul.appendChild(li);
    }
    $("hits").appendChild(ul);
  } catch (err) { $("status").textContent = err.message; }
}

async function showStory(id, from) {
  const box = $("story");
  box.hidden = false;
  $("story-title").textContent = "Đang tải…";
  for (const k of ["summary", "timeline", "articles"]) clear($(k));
  try {
    const url = "/api/archive/stories/" + encodeURIComponent(id) + (from ? "?since=" + encodeURIComponent(from) : "");
    const data = await getJSON(url);
    const d = data.digest;
    const info = data.story;
    $("story-title").textContent = info ? info.title : ("Câu chuyện " + id);
    $("story-meta").textContent = info ? (info.size + " bài, " + (info.first_seen_text || "") + " → " + (info.last_seen_text || "")) : "";
    $("summary-title").textContent = from ? "Mới cập nhật từ " + (data.since_text || from) + " (điều các bài trước chưa nói)" : "Tóm tắt";
    const numbers = new Map(d.articles.map((a, i) => [a.id, i + 1]));
    if (!d.summary.length) $("summary").appendChild(el("li", from ? "Không có thông tin mới." : "Chưa có tóm tắt."));
    for (const s of d.summary) {
      const refs = [...new Set(s.sources.map((r) => numbers.get(r.article)))].map((n) => "[" + n + "]").join("");
      $("summary").appendChild(el("li", s.text + " " + refs));
    }
    for (const t of d.timeline.slice(0, 20)) $("timeline").appendChild(el("li", (t.date_text || t.date) + " — " + t.event));
    for (const a of d.articles) {
      const li = el("li", a.title || a.id);
      if (a.published) li.appendChild(el("span", " (" + (a.published_text || a.published) + ")", "hint"));
      $("articles").appendChild(li);
    }
    box.scrollIntoView({ behavior: "smooth" });
  } catch (err) { $("story-title").textContent = err.message; }
}

$("search-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const q = $("q").value.trim();
  if (q) search(q); else loadStories(false);
});
$("updates").addEventListener("click", () => loadStories(true));
$("all").addEventListener("click", () => loadStories(false));
loadStories(false);
