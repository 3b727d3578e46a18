// The event feed: public news, this seat's private news, and the facilitator's announcements.
import { h, mount } from "./dom.js";
import { oddsCard } from "./forecast.js";

/** stateNames: {us: "United States"} to name a shared forecast's outcomes. */
export function feedPanel(title = "This quarter's news", stateNames = {}) {
  const list = h("ol", { class: "feed", id: "feed", "aria-live": "polite" });
  const el = h("section", { class: "panel feed-panel", "aria-labelledby": "feed-title" }, h("h2", { id: "feed-title" }, title), list);
  let items = [];
  const seen = new Set();

  function draw() {
    const sorted = [...items].sort((a, b) => b.turn - a.turn || b.seq - a.seq);
    mount(
      list,
      sorted.length
        ? sorted.map((n) =>
            h(
              "li",
              { class: `news news-${n.scope}` },
              h("span", { class: "news-when" }, n.quarter || `turn ${n.turn}`),
              n.scope !== "public" ? h("span", { class: `tag tag-${n.scope}` }, n.scope === "private" ? "private" : n.scope === "announcement" ? "facilitator" : n.scope) : null,
              h("span", { class: "news-text" }, n.text),
              n.forecast ? oddsCard(n.forecast, stateNames) : null,
            ),
          )
        : h("li", { class: "muted" }, "Nothing yet. News arrives when a quarter resolves."),
    );
  }
  let seq = 0;
  return {
    el,
    /** Add news items [{turn, text, kind?, forecast?}] with a scope: public / private / announcement / secret. */
    add(news, scope, quarterOf) {
      for (const n of news) {
        const k = `${scope}|${n.turn}|${n.text}|${n.forecast ? JSON.stringify(n.forecast.outcomes) : ""}`;
        if (seen.has(k)) continue;
        seen.add(k);
        items.push({ ...n, scope, seq: seq++, quarter: quarterOf ? quarterOf(n.turn) : null });
      }
      draw();
    },
    clear() {
      items = [];
      seen.clear();
      draw();
    },
    draw,
  };
}
