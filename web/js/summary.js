// The quarter's summary, one panel instead of a pile of toasts: what happened (events marked as
// events), what your orders did, and the levers that moved without your orders.
import { h, fmt } from "./dom.js";
import { label, choiceWord, withUnit } from "./labels.js";

function leverWords(name, v) {
  if (typeof v === "number") return withUnit(name, v, fmt);
  if (typeof v === "boolean") return v ? "yes" : "no";
  return choiceWord(name, v);
}

function same(a, b) {
  return typeof a === "number" && typeof b === "number" ? Math.abs(a - b) < 1e-9 : a === b;
}

/**
 * resolved: the turn_resolved push; before/after: the seat's observations around it (null for
 * spectators); order: what this seat sent (null: nothing); reason: why the quarter ended, in words.
 */
export function summaryPanel({ resolved, before, after, order, reason }) {
  const news = [...(resolved.news || []), ...(resolved.private_news || [])];
  const isEvent = (n) => String(n.kind || "").startsWith("event");
  const events = news.filter(isEvent);
  const rest = news.filter((n) => !isEvent(n));
  const mine = [];
  const moved = [];
  if (before && after) {
    const now = Object.fromEntries(after.legal_actions.map((a) => [a.name, a.current]));
    for (const a of before.legal_actions) {
      if (!(a.name in now) || now[a.name] === null || now[a.name] === undefined) continue;
      const ordered = order && a.name in order;
      if (ordered) mine.push(`${label(a.name)}: ${leverWords(a.name, order[a.name])}${same(now[a.name], order[a.name]) ? "" : ` (now ${leverWords(a.name, now[a.name])})`}`);
      else if (a.type !== "choice" && !same(a.current, now[a.name])) moved.push(`${label(a.name)} moved from ${leverWords(a.name, a.current)} to ${leverWords(a.name, now[a.name])}`);
    }
  }
  return h(
    "section",
    { class: "panel summary", id: "quarter-summary", "aria-labelledby": "summary-title" },
    h("h2", { id: "summary-title" }, `What happened in ${resolved.quarter}`),
    h("p", { class: "muted" }, `The quarter ended because ${reason}.`),
    events.length ? h("div", {}, h("h3", {}, "Events"), h("ul", { class: "events" }, events.map((n) => h("li", { class: "event" }, h("span", { class: "tag tag-event" }, "event"), " ", n.text)))) : null,
    before ? h("div", {}, h("h3", {}, "What your orders did"), mine.length ? h("ul", { id: "summary-orders" }, mine.map((t) => h("li", {}, t))) : h("p", { id: "summary-orders" }, order ? "You submitted and kept every lever as it was." : "You sent no orders: your levers stayed as they were.")) : null,
    moved.length ? h("div", {}, h("h3", {}, "Moved without your orders (by events or others)"), h("ul", { id: "summary-moved" }, moved.map((t) => h("li", {}, t)))) : null,
    rest.length ? h("div", {}, h("h3", {}, "News"), h("ul", {}, rest.map((n) => h("li", { class: n.public === false ? "private" : "" }, n.public === false ? h("span", { class: "tag tag-private" }, "private") : null, n.public === false ? " " : null, n.text)))) : h("p", { class: "muted" }, "No news this quarter."),
  );
}
