// newsgraph pages: hover/focus details for marked spans, and new articles appearing on the home page.
// Text from articles is only ever set with textContent, never parsed as HTML.
"use strict";

function setupMarks() {
  const data = document.getElementById("marks-data");
  const text = document.getElementById("text");
  const tip = document.getElementById("tip");
  if (!data || !text || !tip) return;
  const marks = JSON.parse(data.textContent);
  let active = [];

  function show(el) {
    const ids = (el.dataset.marks || "").split(" ").filter(Boolean);
    if (!ids.length) return;
    tip.replaceChildren();
    for (const id of ids) {
      const mark = marks[id];
      if (!mark) continue;
      const box = document.createElement("div");
      box.className = "tip-mark tip-" + mark.kind;
      box.dataset.mark = id;
      const head = document.createElement("strong");
      head.textContent = mark.label;
      box.appendChild(head);
      const list = document.createElement("dl");
      for (const [key, value] of mark.details) {
        const dt = document.createElement("dt");
        dt.textContent = key;
        const dd = document.createElement("dd");
        dd.textContent = value;
        dd.dataset.field = key;
        list.append(dt, dd);
      }
      box.appendChild(list);
      tip.appendChild(box);
    }
    // Light up every piece of the outermost mark (a whole quote, not just the word under the pointer).
    const outer = ids[0];
    active = Array.from(text.querySelectorAll(".m[data-marks]")).filter(
      (s) => s.dataset.marks.split(" ").includes(outer)
    );
    active.forEach((s) => s.classList.add("active"));
    const rect = el.getBoundingClientRect();
    tip.hidden = false;
    tip.style.left = Math.max(8, Math.min(window.scrollX + rect.left, window.scrollX + window.innerWidth - tip.offsetWidth - 8)) + "px";
    tip.style.top = window.scrollY + rect.bottom + 6 + "px";
  }

  function hide() {
    tip.hidden = true;
    active.forEach((s) => s.classList.remove("active"));
    active = [];
  }

  text.addEventListener("mouseover", (ev) => {
    const el = ev.target.closest(".m[data-marks]");
    if (el) show(el);
  });
  text.addEventListener("mouseout", (ev) => {
    if (ev.target.closest(".m[data-marks]")) hide();
  });
  text.addEventListener("focusin", (ev) => {
    const el = ev.target.closest(".m[data-marks]");
    if (el) show(el);
  });
  text.addEventListener("focusout", hide);
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") hide();
  });
}

// A translated article: pointing at a sentence (or a quote, all of it) of the translation lights up the
// sentences of the original it was made from, and pointing at an original sentence lights up its translation.
function setupOriginal() {
  const text = document.getElementById("text");
  const original = document.getElementById("original");
  if (!text || !original) return;
  let lit = [];

  function sentencesOf(el) {
    const outer = (el.dataset.marks || "").split(" ").filter(Boolean)[0];
    const pieces = outer
      ? Array.from(text.querySelectorAll(".m[data-marks]")).filter((s) => s.dataset.marks.split(" ").includes(outer))
      : [el];
    return new Set(pieces.map((s) => s.dataset.s).filter((s) => s !== undefined));
  }

  function light(indices) {
    clear();
    for (const i of indices) {
      lit.push(...document.querySelectorAll('#text [data-s="' + i + '"], #original [data-s="' + i + '"]'));
    }
    lit.forEach((s) => s.classList.add("aligned"));
  }

  function clear() {
    lit.forEach((s) => s.classList.remove("aligned"));
    lit = [];
  }

  function enter(ev) {
    const el = ev.target.closest("[data-s]");
    if (el) light(el.closest("#original") ? new Set([el.dataset.s]) : sentencesOf(el));
  }
  for (const side of [text, original]) {
    side.addEventListener("mouseover", enter);
    side.addEventListener("focusin", enter);
    side.addEventListener("mouseout", (ev) => {
      if (ev.target.closest("[data-s]")) clear();
    });
    side.addEventListener("focusout", clear);
  }
}

function setupLatest() {
  const list = document.getElementById("latest");
  if (!list) return;
  const seconds = Math.max(0.5, parseFloat(document.body.dataset.pollSeconds || "5"));
  const total = document.getElementById("total");

  let newest = list.dataset.newest || "";

  async function poll() {
    try {
      // What was stored after the newest article this page has shown (articles listed are skipped by key).
      const query = newest ? "?limit=50&ingested_after=" + encodeURIComponent(newest) : "?limit=15";
      const response = await fetch("/api/v1/articles" + query, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const page = await response.json();
      const known = new Set(Array.from(list.children).map((li) => li.dataset.key));
      const fresh = page.items.filter((a) => !known.has(a.key));
      for (const a of fresh.reverse()) {
        const li = document.createElement("li");
        li.dataset.key = a.key;
        li.className = "new";
        const link = document.createElement("a");
        link.href = "/articles/" + encodeURIComponent(a.key);
        link.className = "article-link";
        link.textContent = a.title || a.id || a.key;
        const meta = document.createElement("span");
        meta.className = "meta";
        meta.textContent = " " + (a.outlet || "unknown outlet") + " · " + (a.published || "undated").slice(0, 10);
        li.append(link, meta);
        list.prepend(li);
        if (a.ingested_at > newest) newest = a.ingested_at;
      }
      while (list.children.length > 30) list.lastElementChild.remove();
      if (fresh.length && total) {
        const health = await fetch("/healthz");
        if (health.ok) total.textContent = String((await health.json()).articles);
      }
    } catch (err) {
      // The server may be restarting; try again at the next tick.
    }
  }
  setInterval(poll, seconds * 1000);
}

document.addEventListener("DOMContentLoaded", () => {
  setupMarks();
  setupOriginal();
  setupLatest();
});
