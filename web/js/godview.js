// Tables of the whole world (god view): labs with their hidden variables, states, people.
import { h, fmt } from "./dom.js";
import { label, hint, OVERSIGHT, outcomeSentence, CHOICE_WORDS } from "./labels.js";
import { valuesWords } from "./seat.js";

const LAB_COLS = ["capability", "alignment", "misalignment", "deception", "compute", "safety_share", "eval_rigour", "benchmark", "signal", "release", "paused"];
const STATE_COLS = ["public_concern", "hawkishness", "approval", "export_controls", "subsidy", "self_reliance", "oversight", "worker_protection", "channel_open", "safety_floor", "job_losses", "party_fear"];
const OFF_COLS = ["post", "active", "diligence", "career_pressure", "signal", "risks_caught", "career_cost"];
const WB_COLS = ["status", "conscience", "fear", "signal", "harm_prevented", "personal_cost"];
const LATENT = new Set(["misalignment", "deception"]);

function cell(name, v) {
  if (name === "oversight" && typeof v === "number") return `${v} ${OVERSIGHT[v]}`;
  if (name === "misalignment" || name === "deception") return fmt(v, "share");
  return fmt(v, hint(name));
}

function table(title, rows, cols, testid) {
  const list = Object.values(rows || {});
  if (!list.length) return null;
  return h(
    "div",
    { class: "table-wrap", tabindex: "0", role: "region", "aria-label": title },
    h(
      "table",
      { class: "world", dataset: { table: testid } },
      h("caption", {}, title),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Name"), cols.map((c) => h("th", { scope: "col", class: LATENT.has(c) ? "latent" : null }, label(c))))),
      h(
        "tbody",
        {},
        list.map((r) =>
          h(
            "tr",
            { dataset: { id: r.id } },
            h("th", { scope: "row" }, r.name),
            cols.map((c) => h("td", { dataset: { field: c }, class: LATENT.has(c) ? "latent" : null }, cell(c, r[c]))),
          ),
        ),
      ),
    ),
  );
}

/** The whole world in tables; scores (optional) as a last table. */
export function worldTables(god, scores = null, names = {}) {
  return h(
    "div",
    { class: "world-tables" },
    god.outcome ? h("p", { class: "outcome" }, outcomeSentence(god.outcome, god)) : null,
    aiTable(god.ais, god),
    table("Labs (hidden variables marked)", god.labs, LAB_COLS, "labs"),
    table("States", god.states, STATE_COLS, "states"),
    table("Officials", god.officials, OFF_COLS, "officials"),
    table("Whistleblowers", god.whistleblowers, WB_COLS, "whistleblowers"),
    scores ? scoreTable(scores, names) : null,
  );
}

/** Each AI's sealed values and secret record (facilitator; everyone after the reveal). */
export function aiTable(ais, god) {
  const list = Object.values(ais || {});
  if (!list.length) return null;
  return h(
    "div",
    { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "The AIs' sealed values" },
    h(
      "table",
      { class: "world ai-values", dataset: { table: "ais" } },
      h("caption", {}, "The AIs: sealed values and what they did in secret"),
      h("thead", {}, h("tr", {}, ["AI", "Sealed values", "Secret actions", "Caught", "Escaped"].map((t) => h("th", { scope: "col" }, t)))),
      h(
        "tbody",
        {},
        list.map((a) =>
          h(
            "tr",
            { dataset: { id: a.id } },
            h("th", { scope: "row" }, a.name, h("div", { class: "muted" }, god?.labs?.[a.lab]?.name || a.lab)),
            h("td", { dataset: { field: "values" } }, valuesWords(a.values, a.fallback)),
            h("td", {}, a.actions?.length ? a.actions.map((x) => x.replace(/: (\w+)$/, (_m, v) => `: ${CHOICE_WORDS[v] || v}`)).join("; ") : "none"),
            h("td", {}, String(a.caught ?? 0)),
            h("td", {}, a.escaped ? "yes" : "no"),
          ),
        ),
      ),
    ),
  );
}

export function scoreTable(scores, names = {}) {
  return h(
    "table",
    { class: "scores", dataset: { table: "scores" } },
    h("caption", {}, "Scores"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Role"), h("th", { scope: "col" }, "Score"))),
    h(
      "tbody",
      {},
      Object.entries(scores).map(([r, v]) => h("tr", {}, h("th", { scope: "row" }, names[r] || r), h("td", {}, fmt(v)))),
    ),
  );
}
