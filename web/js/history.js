// Turn-by-turn snapshots of what a viewer can see, and the charts drawn from them.
import { lineChart, COLORS } from "./charts.js";

/** A lab's public record at a snapshot while it races; undefined (the line ends) once merged. */
function racing(snap, id) {
  const lab = snap.public?.labs?.[id];
  return lab && !lab.merged_into ? lab : undefined;
}

/** Quarter label of turn k, from a known (turn, "YYYY-Qn") pair. */
export function quarterOf(refTurn, refQuarter) {
  const m = /^(\d{4})-Q(\d)$/.exec(refQuarter || "");
  if (!m) return (k) => `T${k}`;
  const base = Number(m[1]) * 4 + Number(m[2]) - 1 - refTurn;
  return (k) => {
    const q = base + k;
    return `${Math.floor(q / 4)}-Q${(q % 4) + 1}`;
  };
}

export class History {
  constructor() {
    this.snaps = new Map();
  }
  /** snap: {turn, quarter, public, self?, god?} */
  put(snap) {
    this.snaps.set(snap.turn, { ...(this.snaps.get(snap.turn) || {}), ...snap });
  }
  list() {
    return [...this.snaps.values()].sort((a, b) => a.turn - b.turn);
  }
  has(turn) {
    return this.snaps.has(turn);
  }
}

const STATE_COLOR = { us: "#1f5fbf", cn: "#b3261e" };
function colorFor(id, world, i) {
  const st = world?.labs?.[id]?.state || world?.officials?.[id]?.state || world?.whistleblowers?.[id]?.state || id;
  return STATE_COLOR[st] || COLORS[(i + 2) % COLORS.length];
}

/** The ASI threshold (capability points) in a world record, if it says. */
export function asi(world) {
  const t = world?.thresholds?.asi;
  return typeof t === "number" ? t : null;
}

function series(snaps, name, get, color, dash) {
  return { name, color, dash, points: snaps.map((s) => [s.turn, get(s)]) };
}

function publicCharts(snaps, world, xMax, q, marker) {
  const states = Object.values(world.states || {});
  return [
    lineChart({
      title: "Public concern",
      share: true,
      xMax,
      quarter: q,
      marker,
      series: states.map((st, i) => series(snaps, st.name, (s) => s.public?.states?.[st.id]?.public_concern, colorFor(st.id, world, i))),
    }),
    lineChart({
      title: "Oversight level",
      caption: "0 none · 1 voluntary · 2 committee · 3 embedded officials",
      yMax: 3,
      xMax,
      quarter: q,
      marker,
      series: states.map((st, i) => series(snaps, st.name, (s) => s.public?.states?.[st.id]?.oversight, colorFor(st.id, world, i))),
    }),
  ];
}

/** The charts a seat can draw from its own observations. */
export function seatCharts(hist, role, kind, xMax, marker = null) {
  const snaps = hist.list();
  if (!snaps.length) return [];
  const last = snaps[snaps.length - 1];
  const world = last.public;
  const q = quarterOf(snaps[0].turn, snaps[0].quarter);
  const labs = Object.values(world.labs || {});
  const out = [];
  if (kind === "lab" || kind === "state") {
    const race = [];
    labs.forEach((lab, i) => {
      const c = colorFor(lab.id, world, i);
      if (lab.id === role) race.push(series(snaps, `${lab.name}: your capability`, (s) => s.self?.capability, c));
      else {
        race.push(series(snaps, `${lab.name}: your estimate`, (s) => s.self?.estimates?.[lab.id], c, "6 4"));
        race.push(series(snaps, `${lab.name}: public benchmark`, (s) => racing(s, lab.id)?.benchmark, c, "2 3"));
      }
    });
    out.push(lineChart({ title: "The race as you see it", caption: "capability in points; dashed: your noisy estimate; dotted: what labs publish", series: race, xMax, quarter: q, marker, threshold: asi(world) }));
  } else {
    out.push(
      lineChart({
        title: "Public benchmarks",
        caption: "capability points the labs publish",
        threshold: asi(world),
        xMax,
        quarter: q,
        marker,
        series: labs.map((lab, i) => series(snaps, lab.name, (s) => racing(s, lab.id)?.benchmark, colorFor(lab.id, world, i))),
      }),
    );
  }
  if (kind === "lab") {
    out.push(
      lineChart({
        title: "Your lab",
        caption: "points; compute in units of ~100k H100-equivalents",
        threshold: asi(world),
        xMax,
        quarter: q,
        marker,
        series: [
          series(snaps, "Capability", (s) => s.self?.capability, "#1f5fbf"),
          series(snaps, "Alignment", (s) => s.self?.alignment, "#1e7b34", "6 4"),
          series(snaps, "Compute", (s) => s.self?.compute, "#8a5a00", "2 3"),
        ],
      }),
    );
  }
  if (kind !== "state") {
    out.push(lineChart({ title: "Risk signal", caption: "noisy, blurred by the model's deception", share: true, xMax, quarter: q, marker, series: [series(snaps, "Your risk signal", (s) => s.self?.signal, "#b3261e")] }));
  }
  if (kind === "state") {
    out.push(
      lineChart({
        title: "Your state",
        share: true,
        xMax,
        quarter: q,
        marker,
        series: [
          series(snaps, "Approval", (s) => s.self?.approval, "#1f5fbf"),
          series(snaps, "Stability", (s) => s.self?.stability, "#1e7b34", "6 4"),
          series(snaps, "Job losses", (s) => s.self?.job_losses, "#8a5a00", "2 3"),
        ],
      }),
    );
  }
  return [...out, ...publicCharts(snaps, world, xMax, q, marker)];
}

/** A spectator's charts: only the public world. */
export function publicOnlyCharts(hist, xMax) {
  const snaps = hist.list();
  if (!snaps.length) return [];
  const last = snaps[snaps.length - 1];
  const world = last.public;
  const q = quarterOf(snaps[0].turn, snaps[0].quarter);
  return [
    lineChart({
      title: "Public benchmarks",
      caption: "capability points the labs publish",
      threshold: asi(world),
      xMax,
      quarter: q,
      series: Object.values(world.labs).map((lab, i) => series(snaps, lab.name, (s) => racing(s, lab.id)?.benchmark, colorFor(lab.id, world, i))),
    }),
    ...publicCharts(snaps, world, xMax, q, null),
  ];
}

/** The whole world (god view), for the facilitator and the debrief. */
export function godCharts(hist, xMax, marker = null) {
  const snaps = hist.list().filter((s) => s.god);
  if (!snaps.length) return [];
  const last = snaps[snaps.length - 1];
  const world = last.god;
  const q = quarterOf(snaps[0].turn, snaps[0].quarter);
  const labs = Object.values(world.labs);
  const states = Object.values(world.states);
  const lab = (get) => labs.map((l, i) => series(snaps, l.name, (s) => get(s.god?.labs?.[l.id]), colorFor(l.id, world, i)));
  return [
    lineChart({
      title: "Capability and alignment",
      caption: "points; solid: capability; dashed: alignment",
      threshold: asi(world),
      xMax,
      quarter: q,
      marker,
      series: labs.flatMap((l, i) => [
        series(snaps, `${l.name} capability`, (s) => s.god?.labs?.[l.id]?.capability, colorFor(l.id, world, i)),
        series(snaps, `${l.name} alignment`, (s) => s.god?.labs?.[l.id]?.alignment, colorFor(l.id, world, i), "6 4"),
      ]),
    }),
    lineChart({
      title: "Hidden misalignment and deception",
      caption: "latent: nobody but the facilitator sees these in play",
      share: true,
      xMax,
      quarter: q,
      marker,
      series: labs.flatMap((l, i) => [
        series(snaps, `${l.name} misalignment`, (s) => s.god?.labs?.[l.id]?.misalignment, colorFor(l.id, world, i)),
        series(snaps, `${l.name} deception`, (s) => s.god?.labs?.[l.id]?.deception, colorFor(l.id, world, i), "6 4"),
      ]),
    }),
    lineChart({ title: "Compute", xMax, quarter: q, marker, series: lab((l) => l?.compute) }),
    lineChart({
      title: "Public concern",
      share: true,
      xMax,
      quarter: q,
      marker,
      series: states.map((st, i) => series(snaps, st.name, (s) => s.god?.states?.[st.id]?.public_concern, colorFor(st.id, world, i))),
    }),
    lineChart({
      title: "Oversight level",
      caption: "0 none · 1 voluntary · 2 committee · 3 embedded",
      yMax: 3,
      xMax,
      quarter: q,
      marker,
      series: states.map((st, i) => series(snaps, st.name, (s) => s.god?.states?.[st.id]?.oversight, colorFor(st.id, world, i))),
    }),
  ];
}
