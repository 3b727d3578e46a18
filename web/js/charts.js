// Small hand-written SVG line charts (no library). Each series: {name, points: [[turn, value]], color, dash,
// band?: [[turn, lo, hi]]} (band: a shaded interval drawn under the line).
import { h, svg, fmt } from "./dom.js";

export const COLORS = ["#1f5fbf", "#b3261e", "#1e7b34", "#7a4eab", "#8a5a00", "#00707a", "#444444", "#c2185b"];
const W = 480;
const H = 220;
const PAD = { l: 44, r: 26, t: 12, b: 28 };

function niceMax(v) {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/**
 * A line chart in a <figure>. opts: {title, series, xMax, yMax?, share?, marker?, caption?, quarter?}
 * share: values are 0..1 shown as %; marker: a turn to draw a vertical line at.
 */
export function lineChart({ title, series, xMax, yMax, share = false, marker = null, caption = "", quarter = null, threshold = null }) {
  const all = series.flatMap((s) => s.points.map((p) => p[1])).filter((v) => typeof v === "number");
  if (typeof threshold === "number") all.push(threshold);
  const top = share ? 1 : yMax ?? niceMax(Math.max(...all, 0) * 1.05);
  const xm = Math.max(1, xMax ?? Math.max(1, ...series.flatMap((s) => s.points.map((p) => p[0]))));
  const x = (t) => PAD.l + ((W - PAD.l - PAD.r) * t) / xm;
  const y = (v) => H - PAD.b - ((H - PAD.t - PAD.b) * Math.min(v, top)) / top;
  const yf = (v) => (share ? `${Math.round(v * 100)}%` : fmt(v));

  const grid = [];
  for (let i = 0; i <= 4; i++) {
    const v = (top * i) / 4;
    grid.push(svg("line", { x1: PAD.l, x2: W - PAD.r, y1: y(v), y2: y(v), class: "grid" }));
    grid.push(svg("text", { x: PAD.l - 6, y: y(v) + 4, "text-anchor": "end", class: "tick" }, yf(v)));
  }
  // Quarter labels ("2026-Q1") are wide: at most five fit without overlapping.
  const step = Math.max(1, Math.ceil(xm / (quarter ? 5 : 7)));
  for (let t = 0; t <= xm; t += step) {
    const anchor = x(t) > W - PAD.r - 30 ? "end" : t === 0 ? "start" : "middle";
    grid.push(svg("text", { x: x(t), y: H - 8, "text-anchor": anchor, class: "tick" }, quarter ? quarter(t) : `T${t}`));
  }
  const lines = series.map((s, i) => {
    const pts = s.points.filter((p) => typeof p[1] === "number");
    const color = s.color || COLORS[i % COLORS.length];
    const d = pts.map((p, j) => `${j ? "L" : "M"}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join("");
    const last = pts[pts.length - 1];
    const band = (s.band || []).filter((b) => typeof b[1] === "number" && typeof b[2] === "number");
    const area = band.length
      ? [...band.map((b, j) => `${j ? "L" : "M"}${x(b[0]).toFixed(1)},${y(b[2]).toFixed(1)}`), ...band.reverse().map((b) => `L${x(b[0]).toFixed(1)},${y(b[1]).toFixed(1)}`), "Z"].join("")
      : null;
    return svg(
      "g",
      { class: "series" },
      area ? svg("path", { d: area, fill: color, "fill-opacity": 0.13, stroke: "none", class: "band" }) : null,
      svg("path", { d, fill: "none", stroke: color, "stroke-width": 2.5, "stroke-dasharray": s.dash || null }),
      pts.map((p) =>
        svg("circle", { cx: x(p[0]), cy: y(p[1]), r: 3, fill: color }, svg("title", {}, `${s.name}, turn ${p[0]}: ${yf(p[1])}`)),
      ),
      last ? svg("title", {}, `${s.name}: ${yf(last[1])}`) : null,
    );
  });
  const mark =
    marker === null
      ? null
      : svg("line", { x1: x(marker), x2: x(marker), y1: PAD.t, y2: H - PAD.b, class: "marker" });
  const line =
    typeof threshold === "number"
      ? svg(
          "g",
          { class: "threshold" },
          svg("line", { x1: PAD.l, x2: W - PAD.r, y1: y(threshold), y2: y(threshold), class: "threshold-line" }),
          svg("text", { x: PAD.l + 4, y: y(threshold) - 4, class: "tick threshold-label" }, `ASI threshold (${fmt(threshold)})`),
        )
      : null;
  const summary = series
    .map((s) => {
      const pts = s.points.filter((p) => typeof p[1] === "number");
      const last = pts[pts.length - 1];
      return last ? `${s.name} ${yf(last[1])}` : `${s.name} no data`;
    })
    .join("; ") + (typeof threshold === "number" ? `; ASI threshold ${fmt(threshold)}` : "");
  const chart = svg(
    "svg",
    { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": `${title}: ${summary}`, class: "chart-svg" },
    svg("line", { x1: PAD.l, x2: PAD.l, y1: PAD.t, y2: H - PAD.b, class: "axis" }),
    svg("line", { x1: PAD.l, x2: W - PAD.r, y1: H - PAD.b, y2: H - PAD.b, class: "axis" }),
    grid,
    line,
    lines,
    mark,
  );
  const legend = h(
    "ul",
    { class: "legend" },
    series.map((s, i) =>
      h(
        "li",
        {},
        h("span", { class: `swatch${s.dash ? (s.dash.startsWith("2 ") ? " dotted" : " dashed") : ""}`, style: `--c:${s.color || COLORS[i % COLORS.length]}`, "aria-hidden": "true" }),
        s.name,
      ),
    ),
  );
  return h("figure", { class: "chart" }, h("figcaption", {}, h("strong", {}, title), caption ? h("span", { class: "muted" }, ` — ${caption}`) : null), chart, legend);
}
