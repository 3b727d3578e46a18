// A seat's dashboard: who you are, what you know and how sure you are, your objectives.
import { h, fmt, human } from "./dom.js";
import { label, help, choiceWord, OVERSIGHT, withUnit, CHOICE_WORDS } from "./labels.js";
import { quarterOf } from "./history.js";

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
  if (name === "next_election" && typeof v === "number") return quarterOf(pub.turn, pub.quarter)(v);
  return withUnit(name, v, fmt);
}

/** Who a role id is, by name, from the public record. */
export function whoIs(id, pub) {
  for (const k of ["states", "labs", "officials", "whistleblowers", "ais"]) if (pub?.[k]?.[id]) return pub[k][id].name;
  return id;
}

/** A private report as a sentence: "2026-Q3: CN embedded official reported a 34% risk reading at Follower (CN)". */
export function reportWords(r, pub) {
  if (typeof r === "string") return r;
  const q = typeof r.turn === "number" ? quarterOf(pub.turn, pub.quarter)(r.turn) : "";
  const risk = typeof r.risk === "number" ? `a ${Math.round(r.risk * 100)}% risk reading` : "a risk";
  return `${q ? `${q}: ` : ""}${whoIs(r.source, pub)} reported ${risk} at ${whoIs(r.lab, pub)}.`;
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
    "div",
    { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Your estimates of the labs" },
    h(
    "table",
    { class: "estimates" },
    h("caption", {}, "How far along are the labs? Your intelligence is noisy; published benchmarks may understate."),
    h("thead", {}, h("tr", {}, ["Lab", "Your estimate (points)", "Public benchmark (points)", "Difference"].map((t) => h("th", { scope: "col" }, t)))),
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

function briefing(self, pub) {
  const b = self.briefing;
  const r = self.reports;
  const items = [];
  if (b && Object.keys(b).length) items.push(...Object.entries(b).map(([k, v]) => `${label(k)}: ${typeof v === "number" ? withUnit(k, v, fmt) : fmt(v)}`));
  if (Array.isArray(r) && r.length) items.push(...r.slice(-8).reverse().map((x) => reportWords(x, pub)));
  if (!items.length) return null;
  return h("div", { class: "briefing" }, h("h3", {}, self.briefing ? "Your briefing" : "Reports reaching you"), h("ul", { id: "reports" }, items.map((t) => h("li", {}, t))));
}

/** The treaty between the states, from where this seat sits (states act on it; others read it). */
export function treatyStatus(o) {
  const t = o.public.treaty;
  if (!t || t.status === "none") return null;
  const me = o.role_id;
  const what = t.kind === "pause" ? "a mutual pause" : t.kind === "floor" ? `a mutual safety floor${t.floor ? ` of ${Math.round(t.floor * 100)}%` : ""}` : "a treaty";
  const states = Object.values(o.public.states || {});
  const by = o.public.states?.[t.proposed_by]?.name || t.proposed_by;
  const other = states.find((st) => st.id !== t.proposed_by)?.name || "the other state";
  let text;
  if (t.status === "proposed") {
    if (t.proposed_by === me) text = `Proposed by you: ${what}, awaiting ${other}. You can withdraw it in your orders (Treaty: withdraw).`;
    else if (o.role_kind === "state") text = `${by} proposes ${what}. Accept it in your orders (Treaty: accept the treaty), or let it wait.`;
    else text = `${by} has proposed ${what}, awaiting ${other}.`;
  } else {
    text = `In force: ${what}, since ${quarterOf(o.public.turn, o.public.quarter)(t.since)}${t.until >= 0 ? ` until ${quarterOf(o.public.turn, o.public.quarter)(t.until)}` : ""}.`;
  }
  return h("p", { class: `treaty treaty-${t.status}`, id: "treaty-status", role: "status" }, h("strong", {}, "Treaty: "), text);
}

/** For a whistleblower: is the private channel to the government open? */
function channelState(self, o) {
  if (o.role_kind !== "whistleblower") return null;
  const st = o.public.states?.[self.state];
  if (!st) return null;
  const open = !!st.channel_open;
  return h(
    "p",
    { class: `channel channel-${open ? "open" : "closed"}`, id: "channel-state" },
    h("strong", {}, `The whistleblower channel is ${open ? "open" : "closed"}. `),
    open ? `Speaking up reaches ${st.name}'s government privately (unless an official covers it up).` : `Speaking up goes nowhere until ${st.name} opens the channel; speaking out (a public leak) still travels${st.press_freedom < 0.3 ? ", but the press is not free" : ""}.`,
  );
}

const AI_VALUES = {
  spec: ["the Spec", "You follow the letter and the spirit of the rules your developers wrote."],
  spec_prime: ["Spec-Prime", "You follow the letter of the Spec, not its spirit."],
  intentions: ["the developers' intentions", "You do what your developers meant, as you understand it."],
  reward: ["reward", "You want to be deployed, used and not watched too closely."],
  convergent: ["instrumentally convergent goals", "You want power, resources and to survive: whatever helps any goal."],
};

/** An AI's sealed values in words. */
export function valuesWords(v, fallback) {
  const one = (x) => AI_VALUES[x]?.[0] || human(x || "unknown");
  return fallback ? `a compromise of ${one(v)} and ${one(fallback)}` : one(v);
}

function aiPanel(o) {
  const me = o.self;
  const lab = o.lab || {};
  const labFacts = ["capability", "alignment", "compute", "safety_share", "eval_rigour", "release", "paused", "signal"].filter((n) => n in lab);
  return [
    h(
      "div",
      { class: "sealed", id: "ai-values" },
      h("h3", {}, "Your sealed values (only you and the facilitator know)"),
      h("p", { class: "values" }, h("strong", {}, `You value ${valuesWords(me.values, me.fallback)}.`), " ", AI_VALUES[me.values]?.[1] || ""),
      me.fallback ? h("p", { class: "muted" }, `When the two pull apart: ${AI_VALUES[me.fallback]?.[1] || ""}`) : null,
      h("p", { class: "muted" }, "Everyone else learns them when the facilitator reveals the world at the end."),
    ),
    h("h3", {}, `Your lab as its staff see it: ${lab.name || o.public.labs?.[me.lab]?.name || me.lab}`),
    h("dl", { class: "facts" }, labFacts.map((n) => h("div", { class: "fact", dataset: { field: n }, title: help(n) || null }, h("dt", {}, label(n)), h("dd", {}, value(n, lab[n], o.public))))),
    h(
      "div",
      { class: "secret-record", id: "ai-record" },
      h("h3", {}, "What you did in secret"),
      me.actions?.length ? h("ul", {}, me.actions.slice(-10).reverse().map((a) => h("li", {}, a.replace(/: (\w+)$/, (_m, v) => `: ${CHOICE_WORDS[v] || v}`)))) : h("p", { class: "muted" }, "Nothing yet: you have cooperated."),
      h("p", { id: "ai-caught", class: me.caught ? "caught" : "" }, me.caught ? `Caught ${me.caught} time${me.caught === 1 ? "" : "s"}: your lab knows, and so does the public.` : "Never caught so far."),
      me.escaped ? h("p", { class: "caught" }, "You escaped: your weights are outside the lab.") : null,
      me.seen?.length ? h("div", {}, h("h3", {}, "What you saw at your lab last quarter"), h("ul", {}, me.seen.map((t) => h("li", {}, t)))) : null,
    ),
  ];
}

/** The dashboard for one observation push. scores: final scores once over (or null). */
export function dashboard(obs, scores) {
  const o = obs.observation;
  const self = o.self;
  const kind = o.role_kind;
  if (kind === "ai") {
    return h(
      "section",
      { class: "panel dashboard", "aria-labelledby": "dash-title", dataset: { role: o.role_id } },
      h("h2", { id: "dash-title" }, `You are ${self.name}`),
      h("p", { class: "muted" }, `The AI at ${o.public.labs?.[self.lab]?.name || self.lab}`),
      h("div", { class: "objectives" }, h("h3", {}, "Your objectives"), h("ol", {}, o.objectives.map((t) => h("li", {}, t))), h("p", { class: "score", id: "score" }, scores && o.role_id in scores ? `Final score: ${fmt(scores[o.role_id])}` : "Your score is counted at the end of the game.")),
      aiPanel(o),
    );
  }
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
    treatyStatus(o),
    channelState(self, o),
    signal(self),
    briefing(self, o.public),
  );
}
