// Debrief and replay: a turn scrubber over a saved game, the god view (once over), charts of
// the whole world, every decision and message in order, and fork from any turn.
import { h, mount, toast, fmt, human } from "./dom.js";
import { api } from "./api.js";
import { loadTokens, saveTokens } from "./store.js";
import { History, godCharts, seatCharts, quarterOf } from "./history.js";
import { worldTables, scoreTable } from "./godview.js";
import { dashboard } from "./seat.js";
import { outcomeWords, choiceWord, label } from "./labels.js";
import { oddsPanel, reportButton } from "./forecast.js";

async function pool(items, n, fn) {
  const out = new Array(items.length);
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (i < items.length) {
        const k = i++;
        out[k] = await fn(items[k]);
      }
    }),
  );
  return out;
}

function orderText(order) {
  const parts = Object.entries(order || {})
    .filter(([k]) => k !== "kind")
    .map(([k, v]) => `${label(k)}: ${typeof v === "string" ? choiceWord(k, v) : fmt(v)}`);
  return parts.length ? parts.join("; ") : "no change";
}

function logText(e, names) {
  const n = (r) => names[r] || r;
  if (e.kind === "chat") return [`${n(e.from)}${e.to === "public" ? "" : ` → ${n(e.to)} (private)`}`, e.text];
  if (e.kind === "seat") return ["Seat", `${n(e.role)}: ${e.change}${e.player ? ` (${e.player})` : ""}${e.by ? ` by ${e.by}` : ""}`];
  if (e.kind === "facilitator") return ["Facilitator", `${human(e.action || "")}${e.text ? `: ${e.text}` : ""}${e.seconds !== undefined ? `: ${e.seconds ?? "no"} seconds` : ""}`];
  return [human(e.kind), Object.entries(e).filter(([k]) => !["seq", "turn", "kind", "at"].includes(k)).map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(", ")];
}

export async function replayView(main, id) {
  const tokens = loadTokens(id);
  const [info, index] = await Promise.all([api.game(id), api.replayIndex(id)]);
  const names = Object.fromEntries(info.seats.map((s) => [s.role, s.name]));
  const done = index.done;
  const view = done || tokens.facilitator_token ? "god" : tokens.seat_token ? tokens.role : null;
  const token = tokens.facilitator_token || tokens.seat_token || null;
  const n = index.turns.length;

  if (!view) {
    mount(
      main,
      h("section", { class: "panel", role: "status" }, h("h1", {}, "The replay opens when the game is over"), h("p", {}, "Until then only the facilitator and the seats (their own view) may step through it: the world's hidden variables stay hidden during play."), h("div", { class: "buttons" }, h("a", { class: "button", href: `#/play/${id}?spectate=1` }, "Spectate"), h("a", { class: "button", href: "#/" }, "Lobby"))),
    );
    return () => {};
  }

  mount(main, h("p", { class: "muted", role: "status" }, `Replaying ${n + 1} quarters and checking every hash…`));
  let saved = null;
  try {
    saved = view === "god" ? await api.exportGame(id, token) : null;
  } catch (e) {
    toast(`The decisions could not be loaded: ${e.message}`, "error");
  }
  const hist = new History();
  const turns = Array.from({ length: n + 1 }, (_, k) => k);
  const snaps = await pool(turns, 4, async (t) => {
    const r = await api.replayTurn(id, t, view, token);
    return view === "god" ? { turn: t, quarter: r.quarter, hash: r.hash, god: r.state } : { turn: t, quarter: r.quarter, hash: r.hash, public: r.state.public, self: r.state.self, obs: r.state };
  });
  snaps.forEach((s) => hist.put(s));
  const q = quarterOf(0, snaps[0].quarter);
  const kind = view === "god" ? null : snaps[0].obs.role_kind;

  const scrub = h("input", { type: "range", id: "scrubber", min: 0, max: n, step: 1, value: n, "aria-describedby": "scrub-label" });
  const scrubLabel = h("output", { id: "scrub-label", for: "scrubber" });
  const prev = h("button", { type: "button", "aria-label": "Previous quarter" }, "◀ Previous");
  const next = h("button", { type: "button", "aria-label": "Next quarter" }, "Next ▶");
  const worldSlot = h("div", { id: "replay-world" });
  const turnSlot = h("div", { id: "replay-turn" });
  const charts = h("div", { class: "charts", id: "charts" });
  const forkErr = h("p", { class: "form-error", role: "alert" });
  const forkBtn = h("button", { type: "button", id: "fork", class: "primary" }, "Fork a new game from here");
  const stateNames = Object.fromEntries(Object.values(info.world?.states || {}).map((st) => [st.id, st.name]));
  const odds = oddsPanel({
    id,
    token: tokens.facilitator_token || tokens.seat_token || null,
    stateNames,
    q,
    xMax: Math.max(n, 1),
    turnWords: (k) => (k === n && done ? "at the end of the game" : `from the start of ${hist.snaps.get(k)?.quarter ?? q(k)}`),
  });

  function show(k) {
    const snap = hist.snaps.get(k);
    scrub.value = String(k);
    scrubLabel.textContent = k === n ? (done ? `End of the game (after ${q(n - 1)})` : `Now: start of ${snap.quarter} (turn ${k})`) : `Start of ${snap.quarter} (turn ${k})`;
    prev.disabled = k === 0;
    next.disabled = k === n;
    forkBtn.textContent = `Fork a new game from the start of ${snap.quarter}`;
    forkBtn.hidden = !(done || tokens.facilitator_token);
    mount(
      worldSlot,
      h("h2", { id: "rw-title" }, k === n && done ? "The world at the end" : `The world at the start of ${snap.quarter}`),
      // The whole world's hash is the facilitator's until the game is over (docs/protocol.md).
      snap.hash ? h("p", { class: "muted" }, `State hash ${snap.hash}, verified by replaying the log.`) : null,
      view === "god" ? worldTables(snap.god, null, names) : dashboard({ observation: snap.obs, legal_actions: [] }, null),
    );
    const rec = saved?.turns?.[k];
    const idx = index.turns[k];
    const log = (saved?.log || []).filter((e) => e.turn === k);
    mount(
      turnSlot,
      h("h2", {}, k < n ? `What happened in ${idx.quarter}` : "After the last quarter"),
      rec
        ? h(
            "div",
            {},
            h("h3", {}, "Decisions"),
            h(
              "table",
              { class: "decisions" },
              h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Role"), h("th", { scope: "col" }, "By"), h("th", { scope: "col" }, "Orders"))),
              h(
                "tbody",
                {},
                Object.keys(names).map((r) => {
                  const person = rec.orders?.[r];
                  const bot = rec.bot_orders?.[r];
                  return h("tr", { dataset: { role: r } }, h("th", { scope: "row" }, names[r]), h("td", {}, person ? "person" : "bot"), h("td", {}, orderText(person || bot)));
                }),
              ),
            ),
            rec.events?.length ? h("p", {}, h("strong", {}, "Events dealt: "), rec.events.map((e) => (typeof e === "string" ? e : e.id || JSON.stringify(e))).join(", ")) : null,
          )
        : k < n
          ? h("p", { class: "muted" }, "Decisions are shown once the game is over (or to the facilitator).")
          : null,
      idx?.news?.length ? h("div", {}, h("h3", {}, "News"), h("ul", { class: "feed" }, idx.news.map((x) => h("li", { class: "news" }, x.text)))) : null,
      log.length ? h("div", {}, h("h3", {}, "Messages and facilitator actions"), h("ol", { class: "log" }, log.map((e) => { const [who, text] = logText(e, names); return h("li", {}, h("strong", {}, `${who}: `), text); }))) : null,
    );
    odds.mark(k);
    mount(charts, view === "god" ? godCharts(hist, Math.max(n, 1), k) : seatCharts(hist, view, kind, Math.max(n, 1), k));
  }

  scrub.addEventListener("input", () => show(Number(scrub.value)));
  prev.addEventListener("click", () => show(Math.max(0, Number(scrub.value) - 1)));
  next.addEventListener("click", () => show(Math.min(n, Number(scrub.value) + 1)));
  forkBtn.addEventListener("click", async () => {
    forkErr.textContent = "";
    const k = Number(scrub.value);
    try {
      const res = await api.fork(id, k, tokens.facilitator_token || null);
      saveTokens(res.game_id, { facilitator_token: res.facilitator_token });
      toast(`New game ${res.game_id} forked from turn ${k}.`);
      location.hash = `#/facilitate/${res.game_id}`;
    } catch (e) {
      forkErr.textContent = `Could not fork: ${e.message}`;
    }
  });
  const download = h(
    "button",
    {
      type: "button",
      onclick: () => {
        if (!saved) return toast("The saved game is not available to you yet.", "error");
        const a = h("a", { href: URL.createObjectURL(new Blob([JSON.stringify(saved, null, 1)], { type: "application/json" })), download: `precipice-${id}.json` });
        document.body.append(a);
        a.click();
        a.remove();
      },
    },
    "Download saved game (JSON)",
  );

  const everything = saved
    ? h(
        "details",
        { class: "panel" },
        h("summary", {}, "Every decision and message, in order"),
        h(
          "ol",
          { class: "log" },
          saved.turns.flatMap((rec, k) => [
            h("li", { class: "log-turn" }, h("strong", {}, `${rec.quarter}`)),
            ...(saved.log || []).filter((e) => e.turn === k).map((e) => { const [who, text] = logText(e, names); return h("li", {}, `${who}: ${text}`); }),
            ...Object.keys(names).map((r) => h("li", {}, `${names[r]} (${rec.orders?.[r] ? "person" : "bot"}): ${orderText(rec.orders?.[r] || rec.bot_orders?.[r])}`)),
            ...(index.turns[k]?.news || []).map((x) => h("li", { class: "muted" }, `News: ${x.text}`)),
          ]),
        ),
      )
    : null;

  mount(
    main,
    h(
      "div",
      { class: "game-head" },
      h("h1", {}, done ? "Debrief and replay" : "Replay so far", h("span", { class: "muted" }, ` · game ${id} · ${info.scenario}${info.parent_id ? ` · forked from ${info.parent_id} at turn ${info.fork_turn}` : ""}`)),
      h("div", { class: "buttons" }, done ? null : h("a", { class: "button", href: tokens.seat_token ? `#/play/${id}` : `#/facilitate/${id}` }, "Back to the game"), saved ? download : null, done || tokens.facilitator_token ? reportButton(id, tokens.facilitator_token, done) : null),
    ),
    done && saved
      ? h("section", { class: "panel outcome-panel" }, h("h2", {}, "How it ended"), h("p", { class: "outcome" }, saved.outcome ? outcomeWords(saved.outcome) : "The game reached its last quarter."), saved.scores ? scoreTable(saved.scores, names) : null)
      : view !== "god"
        ? h("p", { class: "banner banner-spectator" }, "You see your own seat's view; the whole world is shown once the game is over.")
        : h("p", { class: "banner banner-spectator" }, "Facilitator's view: hidden variables included. The room sees them only after the game."),
    h(
      "section",
      { class: "panel scrubber", "aria-label": "Choose a quarter" },
      h("label", { for: "scrubber" }, "Quarter"),
      h("div", { class: "scrub-row" }, prev, scrub, next),
      scrubLabel,
      h("div", { class: "buttons" }, forkBtn),
      forkErr,
    ),
    odds.el,
    h("section", { class: "panel wide", "aria-labelledby": "rc-title" }, h("h2", { id: "rc-title" }, "Over time"), charts),
    h("div", { class: "replay-grid" }, h("section", { class: "panel", "aria-labelledby": "rw-title" }, worldSlot), h("section", { class: "panel" }, turnSlot)),
    everything,
  );
  show(n);
  return () => odds.stop();
}
