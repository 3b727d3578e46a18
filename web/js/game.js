// The play view: a seat's page (sticky status bar, orders first, the quarter's summary, dashboard,
// charts, news, chat), or a spectator's view of the public world.
import { h, mount, toast } from "./dom.js";
import { api } from "./api.js";
import { GameSocket } from "./socket.js";
import { loadTokens, dropSeat } from "./store.js";
import { statusBar } from "./status.js";
import { feedPanel } from "./feed.js";
import { chatPanel } from "./chat.js";
import { dashboard } from "./seat.js";
import { orderForm } from "./forms.js";
import { History, seatCharts, publicOnlyCharts, quarterOf } from "./history.js";
import { worldTables } from "./godview.js";
import { outcomeSentence } from "./labels.js";
import { summaryPanel } from "./summary.js";
import { rejoinPanel } from "./rejoin.js";

const REASONS = { all_submitted: "everyone submitted", deadline: "the deadline passed", forced: "the facilitator moved it on" };

export async function playView(main, id, query) {
  const info = await api.game(id);
  const tokens = loadTokens(id);
  const spectating = query.get("spectate") === "1" || !tokens.seat_token;
  const token = spectating ? null : tokens.seat_token;
  const names = Object.fromEntries(info.seats.map((s) => [s.role, s.name]));
  const bots = () => new Set((state.seats || []).filter((s) => s.mode !== "human").map((s) => s.role));
  const horizon = info.world?.horizon;

  const status = statusBar();
  if (!spectating) status.setMe(tokens.role);
  const banner = h("div", { class: "banners", id: "banners" });
  const summary = h("div", { id: "summary-slot" });
  const dash = h("div", { id: "dashboard-slot" });
  const orders = h("section", { class: "panel orders", "aria-labelledby": "orders-title", id: "orders" }, h("h2", { id: "orders-title" }, "Your orders"), h("p", { class: "muted" }, "Waiting for the server…"));
  const charts = h("div", { class: "charts", id: "charts" });
  const reveal = h("div", { id: "reveal-slot" });
  const stateNames = Object.fromEntries(Object.values(info.world?.states || {}).map((st) => [st.id, st.name]));
  const feed = feedPanel("News", stateNames);
  const hist = new History();
  let obs = null;
  let prevObs = null;
  let state = info;
  let scores = null;
  let lastOrder = null; // what this page last sent this quarter
  let resolved = null; // the last turn_resolved, until the next observation
  let removed = false;
  let q = quarterOf(info.turn, info.quarter);
  let backfilled = false;

  const socket = new GameSocket(id, token, {
    onStatus: (s, d) => status.setConn(s, d),
    onFatal: (code, words) => {
      if (code === "unauthorized" || code === "4001") dropSeat(id);
      seatGone(words);
    },
    onPush: (type, data) => handlers[type]?.(data),
  });
  const chat = chatPanel({ me: spectating ? null : tokens.role, canPost: !spectating, names, bots, send: (to, text) => socket.request("chat", { to, text }) });

  function showBanner(kind, text, extra = []) {
    const old = banner.querySelector(`[data-kind="${kind}"]`);
    if (old) old.remove();
    if (!text) return;
    banner.append(h("div", { class: `banner banner-${kind}`, role: kind === "fatal" ? "alert" : "status", dataset: { kind } }, h("p", {}, text), extra.length ? h("div", { class: "buttons" }, extra) : null));
  }

  /** This page no longer holds the seat: say so, and take the form away. */
  function seatGone(words) {
    removed = true;
    socket.stop();
    showBanner("fatal", words, [h("a", { href: `#/play/${id}?spectate=1`, class: "button" }, "Watch as a spectator"), h("a", { href: "#/", class: "button" }, "Back to the lobby")]);
    mount(orders, h("h2", { id: "orders-title" }, "You no longer hold this seat"), h("p", {}, words));
    status.setConn("closed", "this page no longer plays the seat");
  }

  function drawCharts() {
    const xMax = horizon ?? state.world?.horizon;
    let list;
    if (obs) {
      const o = obs.observation;
      list = o.role_kind === "ai" ? seatCharts(hist, o.self.lab, "lab", xMax) : seatCharts(hist, o.role_id, o.role_kind, xMax);
    } else list = publicOnlyCharts(hist, xMax);
    mount(charts, list.length ? list : h("p", { class: "muted" }, "Charts appear after the first quarter."));
  }

  function snapOf(turn, o) {
    return { turn, quarter: o.public.quarter, public: o.public, self: o.role_kind === "ai" ? { ...(o.lab || {}), ai: o.self } : o.self };
  }

  async function backfill(turn) {
    if (backfilled || !token) return;
    backfilled = true;
    for (let t = 0; t < turn; t++) {
      if (hist.has(t)) continue;
      try {
        const r = await api.replayTurn(id, t, tokens.role, token);
        hist.put(snapOf(t, { ...r.state, public: r.state.public, role_kind: obs?.observation.role_kind }));
      } catch (e) {
        toast(`Could not load the earlier quarters for the charts: ${e.message}`, "error");
        break;
      }
    }
    drawCharts();
  }

  function idleWords(o) {
    const me = o.self;
    const pub = o.public;
    const st = pub.states?.[me.state];
    let why;
    if (me.merged_into) why = `Your lab was merged into ${pub.labs[me.merged_into]?.name || me.merged_into}: it no longer decides anything, and its score follows that lab's. That will not change.`;
    else if (o.role_kind === "official") {
      const need = me.post === "committee" ? "an oversight committee (level 2)" : "officials embedded in every lab (level 3)";
      why = `${st?.name || "Your state"}'s oversight is at level ${st?.oversight ?? "?"}: you have no post until it reaches ${need}. That can change when ${st?.name || "the state"} raises oversight${st?.regime === "democracy" ? ", or after an election when public concern is high" : ""}.`;
    } else if (o.role_kind === "whistleblower") why = "You no longer work at the lab: you have nothing to decide, and that will not change.";
    else why = "You have nothing to decide this quarter; that may change next quarter.";
    return `${why} The quarter does not wait for you while others decide; if you are the only person at the table, press the button to move on. You can still talk in the chat.`;
  }

  function readyPanel() {
    const mine = state.seats?.find((s) => s.role === tokens.role);
    const ready = !!mine?.ready;
    const btn = h("button", { type: "button", class: "primary", id: "ready" }, ready ? "I am not ready after all" : "I am ready");
    const note = h("p", { class: "form-status", role: "status" });
    btn.addEventListener("click", async () => {
      try {
        await socket.request("ready", { ready: !ready });
        note.textContent = !ready ? "The facilitator sees that you are ready." : "Marked as not ready.";
      } catch (e) {
        note.textContent = `Not sent: ${e.message}`;
      }
    });
    mount(
      orders,
      h("h2", { id: "orders-title" }, "Waiting for the facilitator to start"),
      h("p", {}, "The game has not started: no clock runs yet. Read your role below, then say you are ready."),
      h("p", { class: "buttons" }, btn, h("a", { class: "button", href: `#/brief/${id}/${encodeURIComponent(tokens.role)}` }, "Read your role card")),
      note,
    );
  }

  function drawOrders() {
    if (!obs || removed) return;
    const o = obs.observation;
    if (state.done || o.done) {
      mount(orders, h("h2", { id: "orders-title" }, "The game is over"), h("p", {}, "No more orders. See how it went in the debrief."), h("a", { class: "button primary", href: `#/replay/${id}` }, "Open the debrief and replay"));
      return;
    }
    if (state.phase === "lobby") {
      readyPanel();
      return;
    }
    const focusWasIn = orders.contains(document.activeElement) ? document.activeElement.id || "submit-order" : null;
    const submitted = state.seats?.find((s) => s.role === o.role_id)?.submitted;
    const idle = !obs.legal_actions.some((a) => a.type !== "choice" || a.options.length > 1);
    const form = orderForm(obs.legal_actions, obs.your_order, async (order) => {
      const res = await socket.request("order", { turn: obs.turn, order });
      lastOrder = order;
      return res;
    });
    mount(
      orders,
      h("h2", { id: "orders-title" }, `Your orders for ${o.public.quarter}`),
      h("p", { class: "muted", id: "orders-note" }, submitted || obs.your_order ? "You have submitted; you may change your orders until the quarter resolves." : "Set your levers and submit. Levers you leave alone stay as they are."),
      idle ? h("p", { class: "idle-note", id: "idle-note" }, idleWords(o)) : null,
      form.el,
    );
    if (focusWasIn) (document.getElementById(focusWasIn) || document.getElementById("submit-order"))?.focus({ preventScroll: true });
  }

  function endBanner(outcome) {
    const text = `The game is over. ${outcomeSentence(outcome, state.world || obs?.observation.public)}`;
    showBanner("over", text, [h("a", { class: "button primary", href: `#/replay/${id}` }, "Debrief and replay")]);
  }

  const handlers = {
    welcome(d) {
      chat.set(d.chat || []);
      feed.add(d.announcements || [], "announcement", q); // items are {turn, text, forecast?} already
      const histItems = d.history?.news || [];
      feed.add(histItems.filter((n) => n.public !== false), "public", q);
      feed.add(histItems.filter((n) => n.public === false), "private", q);
      for (const snap of d.history?.series || []) if (!hist.has(snap.turn)) hist.put({ turn: snap.turn, quarter: snap.quarter, public: snap.public || snap.state || snap });
      if (d.kind === "spectator") showBanner("spectator", "You are watching as a spectator: you see only what the public sees.");
      drawCharts();
    },
    game_state(d) {
      const wasLobby = state.phase === "lobby";
      state = d;
      if (!d.done) q = quarterOf(d.turn, d.quarter);
      status.setState(d, horizon);
      feed.add((d.world?.news || []).map((n) => ({ ...n })), "public", q);
      if (!obs) {
        hist.put({ turn: d.turn, quarter: d.quarter, public: d.world });
        drawCharts();
      }
      showBanner("paused", d.paused && !d.done ? "The facilitator has paused the game. The clock is stopped; you can still change your orders." : "");
      showBanner("lobby", d.phase === "lobby" ? "The game has not started yet. The facilitator starts it when everyone is seated and ready." : "");
      if (d.done && d.world?.outcome) endBanner(d.world.outcome);
      else if (d.done) showBanner("over", "The game is over.", [h("a", { class: "button primary", href: `#/replay/${id}` }, "Debrief and replay")]);
      if (obs && (wasLobby !== (d.phase === "lobby") || d.phase === "lobby")) drawOrders();
      const mine = obs && d.seats.find((s) => s.role === obs.observation.role_id);
      const sub = orders.querySelector("#orders-note");
      if (mine && sub && !d.done) sub.textContent = mine.submitted ? "You have submitted; you may change your orders until the quarter resolves." : "Set your levers and submit. Levers you leave alone stay as they are.";
    },
    observation(d) {
      if (removed) return;
      const firstOfTurn = !obs || obs.turn !== d.turn;
      if (firstOfTurn && obs) prevObs = obs;
      obs = d;
      const o = d.observation;
      hist.put(snapOf(d.turn, o));
      mount(dash, dashboard(d, scores));
      feed.add(o.public.news || [], "public", q);
      feed.add(o.private_news || [], "private", q);
      if (firstOfTurn && resolved && prevObs) {
        mount(summary, summaryPanel({ resolved, before: prevObs, after: d, order: lastOrder, reason: REASONS[resolved.reason] || resolved.reason }));
        resolved = null;
        lastOrder = null;
      }
      if (firstOfTurn || !orders.querySelector("form")) drawOrders();
      drawCharts();
      backfill(d.turn);
    },
    turn_resolved(d) {
      feed.add(d.news || [], "public", q);
      if (d.private_news) feed.add(d.private_news, "private", q);
      resolved = d;
      if (spectating) mount(summary, summaryPanel({ resolved: d, before: null, after: null, order: null, reason: REASONS[d.reason] || d.reason }));
    },
    chat(d) {
      chat.add(d);
    },
    announcement(d) {
      feed.add([d], "announcement", q);
      showBanner("announcement", d.forecast ? "The facilitator shared the odds: see the news." : `Facilitator: ${d.text}`);
    },
    game_over(d) {
      scores = d.scores;
      state = { ...state, done: true };
      endBanner(d.outcome);
      if (obs) mount(dash, dashboard(obs, scores));
      drawOrders();
    },
    revealed(d) {
      scores = d.scores;
      mount(reveal, h("section", { class: "panel reveal", id: "reveal", "aria-labelledby": "reveal-title" }, h("h2", { id: "reveal-title" }, "The world revealed"), h("p", { class: "muted" }, "What was hidden from everyone during play: each model's real misalignment and deception, and each AI's sealed values and secret actions."), worldTables(d.god_view, d.scores, names)));
    },
    seat_revoked(d) {
      dropSeat(id);
      seatGone(`The facilitator gave your seat to ${d.mode === "bot" ? "a bot" : "someone else"}.`);
    },
    replaced(d) {
      seatGone(`This seat is now played from another window or device: ${d.reason}.`);
    },
    server_error(m) {
      if (m.code === "taken_over") seatGone("This seat was taken over from another device or browser (its rejoin link was opened there).");
      else toast(`The server refused a message: ${m.message}`, "error");
    },
    client_error(d) {
      toast(d.text, "error");
    },
  };

  const leave = token
    ? h("button", {
        type: "button",
        onclick: async () => {
          if (!confirm("Leave your seat? A bot plays it at once and it reopens for someone else.")) return;
          try {
            await api.release(id, tokens.role, token);
            dropSeat(id);
            location.hash = "#/";
          } catch (e) {
            toast(`Could not leave the seat: ${e.message}`, "error");
          }
        },
      }, "Leave seat")
    : null;

  mount(
    main,
    h(
      "div",
      { class: "game-head" },
      h("h1", {}, spectating ? "Spectating" : `Playing ${names[tokens.role] || tokens.role}`, h("span", { class: "muted" }, ` · game ${id} · ${info.scenario}`)),
      h(
        "div",
        { class: "buttons" },
        tokens.facilitator_token ? h("a", { class: "button", href: `#/facilitate/${id}` }, "Facilitator console") : null,
        h("a", { class: "button", href: `#/replay/${id}` }, "Replay"),
        spectating ? null : h("a", { class: "button", href: "#/how" }, "How a quarter works"),
        leave,
      ),
    ),
    status.el,
    banner,
    reveal,
    h(
      "div",
      { class: spectating ? "game-grid spectator" : "game-grid" },
      spectating ? null : h("div", { class: "col-main" }, summary, orders, dash, rejoinPanel(id, tokens)),
      h("div", { class: "col-charts" }, spectating ? summary : null, h("section", { class: "panel", "aria-labelledby": "charts-title" }, h("h2", { id: "charts-title" }, spectating ? "The race in public" : "The race, as far as you can see"), charts)),
      h("div", { class: "col-side" }, feed.el, chat.el, h("section", { class: "panel", "aria-labelledby": "seats-title" }, h("h2", { id: "seats-title" }, "Seats: who has submitted"), status.seats)),
    ),
  );
  if (info.scores) scores = info.scores;
  status.setConn("connecting");
  status.setState(info, horizon);
  socket.connect();
  return () => {
    socket.stop();
    status.stop();
  };
}
