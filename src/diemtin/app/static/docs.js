// Offline API reference: renders /openapi.json with DOM APIs (FastAPI's Swagger UI needs a CDN).
"use strict";

(async () => {
  const root = document.getElementById("ops");
  const el = (tag, text, cls) => {
    const n = document.createElement(tag);
    if (text != null) n.textContent = text;
    if (cls) n.className = cls;
    return n;
  };
  let spec;
  try {
    spec = await (await fetch("/openapi.json")).json();
  } catch (err) {
    root.replaceChildren(el("p", `Không tải được /openapi.json: ${err}`, "status error"));
    return;
  }
  // Resolve local $refs one level deep so request schemas are readable.
  const resolve = (obj) => JSON.parse(JSON.stringify(obj), (k, v) => {
    if (v && typeof v === "object" && typeof v.$ref === "string") {
      const name = v.$ref.split("/").pop();
      return (spec.components && spec.components.schemas && spec.components.schemas[name]) || v;
    }
    return v;
  });
  root.replaceChildren(el("p", spec.info.description || "", "hint"));
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const sec = el("section", null, "panel op");
      const h = el("h2");
      h.append(el("span", method.toUpperCase(), "method"), path);
      sec.append(h, el("p", op.summary || ""));
      for (const p of op.parameters || []) {
        sec.append(el("p", `?${p.name} (${p.in}) — ${p.description || ""}`, "hint"));
      }
      const content = op.requestBody && op.requestBody.content;
      for (const [ctype, body] of Object.entries(content || {})) {
        sec.append(el("h3", `Body: ${ctype}`), el("pre", JSON.stringify(resolve(body.schema), null, 2)));
      }
      const codes = Object.entries(op.responses || {}).map(([c, r]) => `${c} ${r.description || ""}`);
      sec.append(el("h3", "Responses"), el("p", codes.join(" · "), "hint"));
      root.append(sec);
    }
  }
})();
