// A seat's dashboard: who you are, what you know and how sure you are, your objectives.
import { h, fmt, human } from "./dom.js";
import { label, help, hint, choiceWord, OVERSIGHT } from "./labels.js";

const SHOWN = {
  lab: ["capability", "alignment", "compute", "funding", "revenue", "safety_share", "eval_rigour", "release", "paused", "safety_floor_in_force", "distilling", "lobbying", "safety_pledge", "merged_into"],
  state: ["public_concern", "hawkishness", "approval", "stability", "job_losses", "party_fear", "export_controls", "subsidy", "self_reliance", "oversight", "worker_protection", "channel_open", "leak_policy", "safety_floor", "press_freedom", "next_election"],
  official: ["lab", "post", "active", "brake_authority", "diligence", "career_pressure", "risks_caught", "career_cost", "tips"],
  whistleblower: ["lab", "status", "conscience", "fear", "harm_prevented", "personal_cost", "raised"],
};

function value(name, v, pub) {
  if ((name === "lab" || name === "merged_into") && typeof v === "string") return pub?.labs?.[v]?.name || v;
  if (name === "oversight" && typeof v === "number") return `${v}: ${OVERSIGHT[v]}`;
  if (name === "release" || name === "leak_policy") return choiceWord(name, v);
  return fmt(v, hint(name));
}

function facts(self, kind, pub) {
  const names = (SHOWN[kind] || Object.keys(self)).filter((n) => n in self && !(n === "party_fear" && self.regime !== "one_party") && !(n === "next_election" && self.next_election == null) && !(n === "merged_into" && !self.merged_into));
  return h(
    "dl",
    { class: "facts" },
    names.map((n) => h("div", { class: "fact", dataset: { field: n }, title: help(n) || null }, h("dt", {}, label(n)), h("dd", {}, value(n, self[n], pub)))),
  );
}

function estimates(self, pub) {
  const est = self.estimates || {};
  const ids = Object.keys(est);
  if (!ids.length) return null;
  return h(
    "table",
    { class: "estimates" },
    h("caption", {}, "How far along are the labs? Your intelligence is noisy; published benchmarks may understate."),
    h("thead", {}, h("tr", {}, ["Lab", "Your estimate", "Public benchmark", "Difference"].map((t) => h("th", { scope: "col" }, t)))),
    h(
      "tbody",
      {},
      ids.map((id) => {
        const lab = pub.labs?.[id];
        const b = lab?.benchmark;
        return h(
          "tr",
          { dataset: { lab: id } },
          h("th", { scope: "row" }, lab?.name || id),
          h("td", {}, fmt(est[id])),
          h("td", {}, fmt(b)),
          h("td", {}, typeof b === "number" ? `${est[id] - b >= 0 ? "+" : ""}${fmt(est[id] - b)}` : "—"),
        );
      }),
    ),
  );
}

function signal(self) {
  if (typeof self.signal !== "number") return null;
  const pct = Math.max(0, Math.min(1, self.signal));
  const words = pct < 0.15 ? "quiet" : pct < 0.35 ? "some worrying signs" : pct < 0.6 ? "worrying" : "alarming";
  return h(
    "div",
    { class: "signal" },
    h("div", { class: "signal-head" }, h("strong", {}, "Risk signal: "), `${Math.round(pct * 100)}%, ${words}`),
    h("meter", { min: 0, max: 1, low: 0.15, high: 0.35, optimum: 0, value: pct, "aria-label": "Risk signal" }),
    h("p", { class: "muted" }, "A noisy reading of the model's hidden misalignment from evaluations. A deceptive model looks safer than it is; sharper evals see further."),
  );
}

function briefing(self) {
  const b = self.briefing;
  const r = self.reports;
  const items = [];
  if (b && Object.keys(b).length) items.push(...Object.entries(b).map(([k, v]) => `${human(k)}: ${typeof v === "object" ? JSON.stringify(v) : fmt(v)}`));
  if (Array.isArray(r) && r.length) items.push(...r.map((x) => (typeof x === "string" ? x : JSON.stringify(x))));
  if (!items.length) return null;
  return h("div", { class: "briefing" }, h("h3", {}, self.briefing ? "Your briefing" : "Reports reaching you"), h("ul", {}, items.map((t) => h("li", {}, t))));
}

/** The dashboard for one observation push. scores: final scores once over (or null). */
export function dashboard(obs, scores) {
  const o = obs.observation;
  const self = o.self;
  const kind = o.role_kind;
  const where = [self.regime ? human(self.regime) : null, self.state ? `of ${o.public.states?.[self.state]?.name || self.state}` : null].filter(Boolean).join(" ");
  return h(
    "section",
    { class: "panel dashboard", "aria-labelledby": "dash-title", dataset: { role: o.role_id } },
    h("h2", { id: "dash-title" }, `You are ${self.name}`),
    h("p", { class: "muted" }, `${human(kind)}${where ? ` · ${where}` : ""}${self.lab && kind !== "lab" ? ` · at ${o.public.labs?.[self.lab]?.name || self.lab}` : ""}`),
    h(
      "div",
      { class: "objectives" },
      h("h3", {}, "Your objectives"),
      h("ol", {}, o.objectives.map((t) => h("li", {}, t))),
      h("p", { class: "score", id: "score" }, scores && o.role_id in scores ? `Final score: ${fmt(scores[o.role_id])}` : "Your score is counted at the end of the game."),
    ),
    h("h3", {}, "What you know"),
    facts(self, kind, o.public),
    self.merged_into ? null : estimates(self, o.public),
    signal(self),
    briefing(self),
  );
}
