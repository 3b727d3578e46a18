// The play view: a seat's dashboard, orders, charts, feed and chat (or a spectator's view).
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
import { outcomeWords } from "./labels.js";

export async function playView(main, id, query) {
  const info = await api.game(id);
  const tokens = loadTokens(id);
  const spectating = query.get("spectate") === "1" || !tokens.seat_token;
  const token = spectating ? null : tokens.seat_token;
  const names = Object.fromEntries(info.seats.map((s) => [s.role, s.name]));
  const horizon = info.world?.horizon;

  const status = statusBar();
  const banner = h("div", { class: "banners", id: "banners" });
  const dash = h("div", { id: "dashboard-slot" });
  const orders = h("section", { class: "panel orders", "aria-labelledby": "orders-title", id: "orders" }, h("h2", { id: "orders-title" }, "Your orders"), h("p", { class: "muted" }, "Waiting for the server…"));
  const charts = h("div", { class: "charts", id: "charts" });
  const reveal = h("div", { id: "reveal-slot" });
  const stateNames = Object.fromEntries(Object.values(info.world?.states || {}).map((st) => [st.id, st.name]));
  const feed = feedPanel("News", stateNames);
  const hist = new History();
  let obs = null;
  let state = info;
  let scores = null;
  let q = quarterOf(info.turn, info.quarter);
  let backfilled = false;

  const socket = new GameSocket(id, token, {
    onStatus: (s, d) => status.setConn(s, d),
    onFatal: (code, words) => {
      if (code === "unauthorized" || code === "4001") dropSeat(id);
      showBanner("fatal", words, [h("a", { href: `#/play/${id}?spectate=1`, class: "button" }, "Watch as a spectator"), h("a", { href: "#/", class: "button" }, "Back to the lobby")]);
    },
    onPush: (type, data) => handlers[type]?.(data),
  });
  const chat = chatPanel({ me: spectating ? null : tokens.role, canPost: !spectating, names, send: (to, text) => socket.request("chat", { to, text }) });

  function showBanner(kind, text, extra = []) {
    const old = banner.querySelector(`[data-kind="${kind}"]`);
    if (old) old.remove();
    if (!text) return;
    banner.append(h("div", { class: `banner banner-${kind}`, role: kind === "fatal" ? "alert" : "status", dataset: { kind } }, h("p", {}, text), extra.length ? h("div", { class: "buttons" }, extra) : null));
  }

  function drawCharts() {
    const xMax = horizon ?? state.world?.horizon;
    const list = obs ? seatCharts(hist, obs.observation.role_id, obs.observation.role_kind, xMax) : publicOnlyCharts(hist, xMax);
    mount(charts, list.length ? list : h("p", { class: "muted" }, "Charts appear after the first quarter."));
  }

  async function backfill(turn) {
    if (backfilled || !token) return;
    backfilled = true;
    for (let t = 0; t < turn; t++) {
      if (hist.has(t)) continue;
      try {
        const r = await api.replayTurn(id, t, tokens.role, token);
        hist.put({ turn: t, quarter: r.quarter, public: r.state.public, self: r.state.self });
      } catch (e) {
        toast(`Could not load the earlier quarters for the charts: ${e.message}`, "error");
        break;
      }
    }
    drawCharts();
  }

  function idleWords(o) {
    const me = o.self;
    const why = me.merged_into
      ? `Your lab was merged into ${o.public.labs[me.merged_into]?.name || me.merged_into}: it no longer decides anything, and its score follows that lab's.`
      : o.role_kind === "official"
        ? "The state's oversight level leaves you no post this quarter: there is nothing to inspect or brake."
        : o.role_kind === "whistleblower"
          ? "You no longer work at the lab: you have nothing to decide."
          : "You have nothing to decide this quarter.";
    return `${why} The quarter does not wait for you while others decide; if you are the only person at the table, press the button to move on. You can still talk in the chat.`;
  }

  function drawOrders() {
    if (!obs) return;
    const o = obs.observation;
    if (state.done || o.done) {
      mount(orders, h("h2", { id: "orders-title" }, "The game is over"), h("p", {}, "No more orders. See how it went in the debrief."), h("a", { class: "button primary", href: `#/replay/${id}` }, "Open the debrief and replay"));
      return;
    }
    const submitted = state.seats?.find((s) => s.role === o.role_id)?.submitted;
    const idle = !obs.legal_actions.some((a) => a.type !== "choice" || a.options.length > 1);
    const form = orderForm(obs.legal_actions, obs.your_order, async (order) => {
      const res = await socket.request("order", { turn: obs.turn, order });
      return res;
    });
    mount(
      orders,
      h("h2", { id: "orders-title" }, `Your orders for ${o.public.quarter}`),
      h("p", { class: "muted" }, submitted || obs.your_order ? "You have submitted; you may change your orders until the quarter resolves." : "Set your levers and submit. Levers you leave alone stay as they are."),
      idle ? h("p", { class: "idle-note", id: "idle-note" }, idleWords(o)) : null,
      form.el,
    );
  }

  const handlers = {
    welcome(d) {
      chat.set(d.chat || []);
      feed.add(d.announcements || [], "announcement", q); // items are {turn, text, forecast?} already
      if (d.kind === "spectator") showBanner("spectator", "You are watching as a spectator: you see only what the public sees.");
    },
    game_state(d) {
      state = d;
      if (!d.done) q = quarterOf(d.turn, d.quarter);
      status.setState(d, horizon);
      feed.add((d.world?.news || []).map((n) => ({ ...n })), "public", q);
      if (!obs) {
        hist.put({ turn: d.turn, quarter: d.quarter, public: d.world });
        drawCharts();
      }
      showBanner("paused", d.paused && !d.done ? "The facilitator has paused the game. The clock is stopped." : "");
      if (d.done) showBanner("over", "The game is over.", [h("a", { class: "button primary", href: `#/replay/${id}` }, "Debrief and replay")]);
      const mine = obs && d.seats.find((s) => s.role === obs.observation.role_id);
      const sub = orders.querySelector("#orders-title + p.muted");
      if (mine && sub && !d.done) sub.textContent = mine.submitted ? "You have submitted; you may change your orders until the quarter resolves." : "Set your levers and submit. Levers you leave alone stay as they are.";
    },
    observation(d) {
      const firstOfTurn = !obs || obs.turn !== d.turn;
      obs = d;
      const o = d.observation;
      hist.put({ turn: d.turn, quarter: o.public.quarter, public: o.public, self: o.self });
      mount(dash, dashboard(d, scores));
      feed.add(o.public.news || [], "public", q);
      feed.add(o.private_news || [], "private", q);
      if (firstOfTurn || !orders.querySelector("form")) drawOrders();
      drawCharts();
      backfill(d.turn);
    },
    turn_resolved(d) {
      feed.add(d.news || [], "public", q);
      if (d.private_news) feed.add(d.private_news, "private", q);
      toast(`${d.quarter} resolved (${d.reason === "all_submitted" ? "everyone submitted" : d.reason === "deadline" ? "the deadline passed" : "the facilitator forced it"}).`);
    },
    chat(d) {
      chat.add(d);
    },
    announcement(d) {
      feed.add([d], "announcement", q);
      toast(d.forecast ? "The facilitator shared the odds: see the news." : `Facilitator: ${d.text}`);
    },
    game_over(d) {
      scores = d.scores;
      state = { ...state, done: true };
      showBanner("over", `The game is over. ${outcomeWords(d.outcome)}`, [h("a", { class: "button primary", href: `#/replay/${id}` }, "Debrief and replay")]);
      if (obs) mount(dash, dashboard(obs, scores));
      drawOrders();
    },
    revealed(d) {
      scores = d.scores;
      mount(reveal, h("section", { class: "panel reveal", "aria-labelledby": "reveal-title" }, h("h2", { id: "reveal-title" }, "The world revealed"), h("p", { class: "muted" }, "What was hidden from everyone during play: each model's real misalignment and deception."), worldTables(d.god_view, d.scores, names)));
    },
    seat_revoked(d) {
      dropSeat(id);
      showBanner("fatal", `The facilitator gave your seat to ${d.mode === "bot" ? "a bot" : "someone else"}.`, [h("a", { href: `#/play/${id}?spectate=1`, class: "button" }, "Watch as a spectator"), h("a", { href: "#/", class: "button" }, "Back to the lobby")]);
    },
    replaced(d) {
      showBanner("fatal", `This seat is now open in another window: ${d.reason}.`);
    },
    server_error(m) {
      toast(`The server refused a message: ${m.message}`, "error");
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
      h("div", { class: "buttons" }, tokens.facilitator_token ? h("a", { class: "button", href: `#/facilitate/${id}` }, "Facilitator console") : null, h("a", { class: "button", href: `#/replay/${id}` }, "Replay"), leave),
    ),
    status.el,
    banner,
    reveal,
    h(
      "div",
      { class: spectating ? "game-grid spectator" : "game-grid" },
      spectating ? null : h("div", { class: "col-main" }, dash, orders),
      h("div", { class: "col-charts" }, h("section", { class: "panel", "aria-labelledby": "charts-title" }, h("h2", { id: "charts-title" }, spectating ? "The race in public" : "The race, as far as you can see"), charts)),
      h("div", { class: "col-side" }, feed.el, chat.el),
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

