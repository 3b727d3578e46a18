// Words for the world's numbers, in the essay's language. Unknown fields fall back to human().
import { human } from "./dom.js";

export const FIELDS = {
  capability: ["Capability", "How far the lab's models have come (ASI at the scenario's threshold)."],
  alignment: ["Alignment", "Safety research stock: how well the lab understands and steers its models."],
  compute: ["Compute", "Effective training compute this quarter."],
  funding: ["Funding", "Private investment plus government money."],
  revenue: ["Revenue", "What the lab earns from what it ships."],
  safety_share: ["Safety share", "Share of compute spent on safety research.", "share"],
  eval_rigour: ["Eval rigour", "How hard the lab evaluates its models.", "share"],
  benchmark: ["Public benchmark", "What the world sees of a lab's capability (published results)."],
  signal: ["Risk signal", "A noisy reading of latent misalignment, blurred by the model's deception."],
  last_gain: ["Last quarter's gain", "Capability gained last quarter."],
  public_concern: ["Public concern", "How worried the public is about AI.", "share"],
  hawkishness: ["Hawkishness", "The 'beat the rival' consensus.", "share"],
  export_controls: ["Export controls", "How hard chips are kept from the rival.", "share"],
  self_reliance: ["Chip self-reliance", "Compute traded now for domestic capacity later.", "share"],
  domestic_chips: ["Domestic chips", "Domestic chip capacity."],
  subsidy: ["Subsidy", "Government money for the labs."],
  private_investment: ["Private investment", "Money the markets put into AI."],
  oversight: ["Oversight", "How closely the state watches its labs."],
  worker_protection: ["Worker protection", "If laid-off workers must be kept, AI is a net cost.", "share"],
  channel_open: ["Whistleblower channel open", "Whether the private channel to the government works."],
  press_freedom: ["Press freedom", "How far a public leak travels.", "share"],
  leak_policy: ["Leak policy", "Punish or protect leakers."],
  safety_floor: ["Safety floor", "Minimum safety share the state enforces.", "share"],
  safety_floor_in_force: ["Safety floor in force", "The minimum safety share binding this lab.", "share"],
  approval: ["Global approval", "How the world sees this state.", "share"],
  stability: ["Stability", "Political stability.", "share"],
  job_losses: ["Job losses", "Workers displaced by AI.", "share"],
  party_fear: ["Party fear", "The one-party state's fear that AI could usurp the Party.", "share"],
  diligence: ["Diligence", "How carefully you inspect.", "share"],
  career_pressure: ["Career pressure", "No one wants to be labelled a troublemaker.", "share"],
  risks_caught: ["Risks caught", "Real risks you caught before they shipped."],
  career_cost: ["Career cost", "What braking and reporting has cost you."],
  conscience: ["Conscience", "How much you care about the harm.", "share"],
  fear: ["Fear", "How afraid you are of the consequences.", "share"],
  harm_prevented: ["Harm prevented", "Real risks acted on because you spoke."],
  personal_cost: ["Personal cost", "Firing, punishment."],
  next_election: ["Next election", "The turn of the next election."],
  nationalised: ["Nationalised", "The state has taken its labs under its control."],
  merged_into: ["Merged into", "This lab was merged into another and no longer races on its own."],
  merge_labs: ["Merge the labs", "Merge the state's labs into its most capable one."],
};

/** Units of the world's numbers (shares are shown as %). */
export const UNITS = {
  capability: "points",
  alignment: "points",
  benchmark: "points",
  last_gain: "points",
  last_alignment: "points",
  compute: "compute units (~100k H100e)",
  domestic_chips: "compute units",
  funding: "$B a quarter",
  revenue: "$B a quarter",
  subsidy: "$B a quarter",
  private_investment: "$B a quarter",
  risks_caught: "score points",
  harm_prevented: "score points",
  career_cost: "score points",
  personal_cost: "score points",
  sabotage: "points",
};

export function unit(name) {
  return UNITS[name] || "";
}

/** A number with its unit: "2.0 $B a quarter" -> "$2.0B a quarter"; "40 points". */
export function withUnit(name, v, fmtFn) {
  const text = fmtFn(v, hint(name));
  const u = UNITS[name];
  if (!u || typeof v !== "number") return text;
  if (u.startsWith("$B")) return `$${text}B${u.slice(2)}`;
  return `${text} ${u}`;
}

export const OVERSIGHT = ["none", "voluntary reporting", "oversight committee", "officials embedded in every lab"];

export const CHOICE_WORDS = {
  propose_pause: "propose a mutual pause",
  propose_floor: "propose a mutual safety floor",
  accept: "accept the treaty",
  break: "break the treaty",
  api: "API",
  open: "open weights",
  none: "do not release",
  inspect: "inspect the lab",
  report: "report up",
  brake: "apply the brake",
  ignore: "ignore",
  cover_up: "cover up",
  silent: "stay silent",
  raise_internally: "raise it internally",
  speak_up: "speak up (private channel to the government)",
  speak_out: "speak out (public leak)",
  punish: "punish leakers",
  protect: "protect leakers",
  cooperate: "cooperate",
  sandbag: "sandbag an evaluation",
  sabotage: "sabotage alignment research",
  manipulate: "manipulate",
  exfiltrate: "try to exfiltrate its weights",
  withdraw: "withdraw the proposal",
  whistleblower: "its whistleblower",
  lab: "the lab",
};

export function label(name) {
  return (FIELDS[name] && FIELDS[name][0]) || human(name);
}
export function help(name) {
  return (FIELDS[name] && FIELDS[name][1]) || "";
}
export function hint(name) {
  return (FIELDS[name] && FIELDS[name][2]) || "";
}
export function choiceWord(lever, value) {
  if (lever === "oversight" && typeof value === "number") return `${value}: ${OVERSIGHT[value] ?? value}`;
  return CHOICE_WORDS[value] ?? human(value);
}
export function outcomeWords(outcome) {
  if (!outcome) return "";
  const map = {
    rogue_asi: "A rogue ASI was built. Everyone loses.",
    corrigible_asi: "A corrigible ASI was built.",
    no_asi: "Time ran out before anyone built ASI.",
  };
  let text = map[outcome.kind] || human(outcome.kind || "the game ended");
  if (outcome.lab) text += ` Lab: ${outcome.lab}${outcome.state ? ` (${outcome.state})` : ""}.`;
  if (typeof outcome.p_rogue === "number") text += ` Chance it went rogue: ${Math.round(outcome.p_rogue * 100)}%.`;
  return text;
}

/** The outcome in words, with names from a world record ("Frontier (US) built a rogue ASI ..."). */
export function outcomeSentence(outcome, world) {
  if (!outcome) return "";
  const lab = outcome.lab ? world?.labs?.[outcome.lab]?.name || outcome.lab : null;
  const st = outcome.state ? world?.states?.[outcome.state]?.name || outcome.state : null;
  const odds = typeof outcome.p_rogue === "number" ? `${Math.round(outcome.p_rogue * 100)}%` : null;
  switch (outcome.kind) {
    case "rogue_asi":
      if (outcome.cause === "exfiltration") return `${lab ? `${lab}'s AI` : "An AI"} copied its own weights out of the lab and went rogue before anyone reached the threshold. Everyone loses.`;
      return `${lab || "A lab"}${st ? ` (${st})` : ""} built a superintelligence and it went rogue${odds ? `: it had a ${odds} chance of going rogue, and it did` : ""}. Everyone loses.`;
    case "corrigible_asi":
      return `${lab || "A lab"}${st ? ` (${st})` : ""} built a corrigible superintelligence${odds ? ` (it had a ${odds} chance of going rogue, and it did not)` : ""}${outcome.distribution ? `; its abundance is ${outcome.distribution === "oligarchy" ? "held by a few (an oligarchy)" : outcome.distribution === "shared" ? "shared widely" : human(outcome.distribution)}` : ""}.`;
    case "no_asi":
      return "Time ran out before anyone built a superintelligence: the race goes on.";
    case "ended_by_facilitator":
      return "The facilitator ended the game before anyone built a superintelligence.";
    default:
      return outcomeWords(outcome);
  }
}

/** A forecast's outcome key ("rogue_asi", "corrigible_asi:us", "no_asi") in words. */
export function outcomeName(key, stateNames = {}) {
  if (key === "rogue_asi") return "Rogue ASI";
  if (key === "no_asi") return "No ASI in time";
  const m = /^corrigible_asi:(.+)$/.exec(key);
  if (m) return `Corrigible ASI: ${stateNames[m[1]] || human(m[1])}`;
  return human(key);
}
