// Forecasts: the odds of each ending if bots played on. An odds card (feed, facilitator), the
// "How the odds moved" chart (replay), and the debrief report opener.
import { h, mount } from "./dom.js";
import { api } from "./api.js";
import { lineChart } from "./charts.js";
import { outcomeName } from "./labels.js";

const STATE_COLOR = { us: "#1f5fbf", cn: "#b3261e" };
const EXTRA = ["#7a4eab", "#00707a", "#8a5a00", "#c2185b"];

/** Colour and dash of an outcome line: rogue black, each state its colour (dashed), no ASI grey dotted. */
function look(key, i) {
  if (key === "rogue_asi") return { color: "#1c1c1e", dash: null };
  if (key === "no_asi") return { color: "#6b6b6b", dash: "2 3" };
  const st = key.split(":")[1];
  return { color: STATE_COLOR[st] || EXTRA[i % EXTRA.length], dash: "6 4" };
}

const pct = (v) => `${Math.round(v * 100)}%`;
const range = (ci) => (ci ? `${Math.round(ci[0] * 100)}–${pct(ci[1])}` : "");

/** Say why a forecast could not be had, in words for people. */
export function forecastError(e) {
  if (e.status === 401 || e.status === 403)
    return "The odds are worked out from the world's hidden state, so until the game is over only the facilitator may see them. They open to everyone when it ends.";
  return `The odds could not be computed: ${e.message}`;
}

/** A small card: each outcome's chance as a bar, with its 95% interval. */
export function oddsCard(fc, stateNames = {}, heading = null) {
  const outs = Object.entries(fc.outcomes || {});
  return h(
    "div",
    { class: "odds-card", dataset: { turn: fc.turn } },
    h("p", { class: "odds-head" }, heading ?? `Odds from ${fc.quarter} if bots played on`),
    h(
      "ul",
      { class: "odds" },
      outs.map(([key, o], i) =>
        h(
          "li",
          { dataset: { outcome: key } },
          h("span", { class: "odds-name" }, outcomeName(key, stateNames), h("span", { class: "odds-ci muted" }, ` 95% interval ${range(o.ci)}`)),
          h("span", { class: "odds-bar", "aria-hidden": "true" }, h("span", { style: `width:${(o.p * 100).toFixed(1)}%;--c:${look(key, i).color}` })),
          h("span", { class: "odds-p" }, pct(o.p)),
        ),
      ),
    ),
    h("p", { class: "muted odds-foot" }, `${fc.rollouts} bot rollouts from the start of ${fc.quarter}; a guide, not a prophecy.`),
  );
}

/** The chart of the forecast series: one line per outcome, shaded 95% bands, the marker turn. */
export function oddsChart(series, stateNames, q, xMax, marker) {
  const keys = Object.keys(series[0]?.outcomes || {});
  return lineChart({
    title: "Chance of each ending",
    caption: `each point: ${series[0]?.rollouts ?? "?"} bot rollouts from the start of that quarter; shaded: 95% interval`,
    share: true,
    xMax,
    quarter: q,
    marker,
    series: keys.map((key, i) => ({
      name: `P(${outcomeName(key, stateNames)})`,
      ...look(key, i),
      // The series is one forecast per turn from 0: its index is the turn (the last may repeat
      // the final quarter's label once the game is over).
      points: series.map((f, t) => [t, f.outcomes[key]?.p]),
      band: series.map((f, t) => [t, f.outcomes[key]?.ci?.[0], f.outcomes[key]?.ci?.[1]]),
    })),
  });
}

/**
 * The replay's odds panel: computed when it comes into view, with a visible "computing" state,
 * words on failure and a retry. Returns {el, mark(turn), stop()}.
 */
export function oddsPanel({ id, token, stateNames, q, xMax, turnWords, rollouts = 40 }) {
  const body = h("div", { id: "odds-body", "aria-live": "polite" });
  const el = h("section", { class: "panel wide", id: "odds-panel", "aria-labelledby": "odds-title", "aria-busy": "false" }, h("h2", { id: "odds-title" }, "How the odds moved"), body);
  let series = null;
  let marker = xMax;
  let alive = true;
  let started = false;

  function draw() {
    if (!series) return;
    const k = Math.min(marker, series.length - 1);
    const fc = series[k];
    mount(
      body,
      h("p", { class: "muted" }, "If bots had played on from each quarter, how often would each ending have come? The line marks the quarter chosen above."),
      h("div", { class: "odds-grid" }, oddsChart(series, stateNames, q, xMax, marker), fc ? oddsCard(fc, stateNames, `Odds ${turnWords(k)}`) : null),
    );
  }

  async function load() {
    started = true;
    el.setAttribute("aria-busy", "true");
    mount(body, h("p", { class: "computing", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), `Computing the odds… (${rollouts} bot rollouts from every quarter; this takes a few seconds)`));
    try {
      const got = await api.forecastSeries(id, token, rollouts);
      if (!alive) return;
      series = got;
      if (!series.length) mount(body, h("p", { class: "muted" }, "No quarters to forecast yet."));
      else draw();
    } catch (e) {
      if (!alive) return;
      const denied = e.status === 401 || e.status === 403;
      mount(
        body,
        h("p", { class: denied ? "muted odds-denied" : "form-error", role: denied ? "status" : "alert" }, forecastError(e)),
        denied ? null : h("button", { type: "button", onclick: load }, "Try again"),
      );
    } finally {
      el.setAttribute("aria-busy", "false");
    }
  }

  mount(body, h("p", { class: "muted" }, "The odds are computed when this part of the page comes into view."));
  let observer = null;
  if ("IntersectionObserver" in window) {
    observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && !started) {
          observer.disconnect();
          load();
        }
      },
      { rootMargin: "200px" },
    );
    observer.observe(el);
  } else load();
  return {
    el,
    mark(turn) {
      marker = turn;
      draw();
    },
    stop() {
      alive = false;
      observer?.disconnect();
    },
  };
}

/**
 * "Open the debrief report". A finished game's report is a plain link; a live one needs the
 * facilitator's token, so it is fetched with it and opened from a Blob URL in a new tab.
 */
export function reportButton(id, token, done) {
  if (done || !token) {
    return h("a", { class: "button", id: "open-report", href: api.reportUrl(id), target: "_blank", rel: "noopener" }, "Open the debrief report");
  }
  const btn = h("button", { type: "button", id: "open-report" }, "Open the debrief report");
  const note = h("span", { class: "muted report-note", role: "status" });
  btn.addEventListener("click", async () => {
    // Open the tab now, while the click still counts as the person's: after the wait a
    // browser may block it. It says what is happening until the report arrives.
    const tab = window.open("", "_blank");
    if (tab) tab.document.title = "Preparing the debrief report…";
    if (tab) tab.document.body.textContent = "Preparing the debrief report… (bots replay the game to work out the odds; this takes a few seconds)";
    btn.disabled = true;
    note.textContent = "Preparing the report…";
    try {
      const html = await api.report(id, token);
      const url = URL.createObjectURL(new Blob([html], { type: "text/html" }));
      setTimeout(() => URL.revokeObjectURL(url), 10 * 60 * 1000);
      if (tab && !tab.closed) {
        tab.location.href = url;
        note.textContent = "";
      } else {
        mount(note, "The report is ready: ", h("a", { href: url, target: "_blank", rel: "noopener" }, "open it in a new tab"), ".");
      }
    } catch (e) {
      if (tab && !tab.closed) tab.close();
      mount(note, h("span", { class: "form-error" }, `The report could not be made: ${e.message}`));
    } finally {
      btn.disabled = false;
    }
  });
  return h("span", { class: "report-wrap" }, btn, note);
}
