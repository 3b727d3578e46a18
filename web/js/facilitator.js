// The facilitator's console: clock, force, inject, seats, broadcast, god view, reveal, export.
import { h, mount, toast, fmt } from "./dom.js";
import { api } from "./api.js";
import { GameSocket } from "./socket.js";
import { loadTokens } from "./store.js";
import { statusBar } from "./status.js";
import { feedPanel } from "./feed.js";
import { chatPanel } from "./chat.js";
import { History, godCharts, quarterOf } from "./history.js";
import { worldTables } from "./godview.js";
import { oddsCard, forecastError, reportButton } from "./forecast.js";
import { linkBox, consoleLink, absolute } from "./rejoin.js";
import { seatWho } from "./status.js";

export async function facilitatorView(main, id) {
  const info = await api.game(id);
  const tokens = loadTokens(id);
  if (!tokens.facilitator_token) {
    mount(
      main,
      h("section", { class: "panel", role: "alert" }, h("h1", {}, "No facilitator token here"), h("p", {}, "This browser does not hold this game's facilitator token. Open the console's rejoin link (shown in the console of the browser that created the game) to run it from here. You can still watch it."), h("div", { class: "buttons" }, h("a", { class: "button", href: `#/play/${id}?spectate=1` }, "Spectate"), h("a", { class: "button", href: "#/" }, "Lobby"))),
    );
    return () => {};
  }
  const token = tokens.facilitator_token;
  const names = Object.fromEntries(info.seats.map((s) => [s.role, s.name]));
  const horizon = info.world?.horizon;
  const events = await api.events().catch(() => []);
  const status = statusBar();
  const stateNames = Object.fromEntries(Object.values(info.world?.states || {}).map((st) => [st.id, st.name]));
  const feed = feedPanel("All news (public and private)", stateNames);
  const hist = new History();
  const log = h("ol", { class: "console-log", id: "console-log", "aria-live": "polite" });
  const godSlot = h("div", { id: "god-slot" }, h("p", { class: "muted" }, "Loading the god view…"));
  const charts = h("div", { class: "charts", id: "charts" });
  const seatsBody = h("tbody");
  let state = info;
  let q = quarterOf(info.turn, info.quarter);
  let lastGodTurn = -1;
  let godTimer = null;
  let links = {}; // role -> rejoin URL (after "Show every seat's rejoin link")

  // The server's own trouble (a quarter's resolution that failed and is being retried): a
  // banner that stays until the server says it recovered, not a toast that fades.
  const alertBox = h("div", { id: "server-alert", class: "banner banner-fatal", role: "alert", hidden: true });
  function serverAlert(d) {
    const when = q(d.turn);
    alertBox.hidden = false;
    if (d.kind === "resolution_recovered") {
      alertBox.className = "banner banner-over";
      alertBox.dataset.kind = d.kind;
      mount(alertBox, h("p", {}, h("strong", {}, `${when} resolved after all.`), ` ${d.message}. The game goes on; nothing was lost.`), h("button", { type: "button", id: "server-alert-dismiss", onclick: () => (alertBox.hidden = true) }, "Dismiss"));
      note(`Server: ${when} resolved (${d.message})`);
      return;
    }
    alertBox.className = "banner banner-fatal";
    alertBox.dataset.kind = d.kind;
    const retry = d.retry_in_seconds == null ? "" : ` It tries again in ${Number(d.retry_in_seconds.toFixed(1))} s, and keeps trying.`;
    mount(
      alertBox,
      h("p", {}, h("strong", {}, `The server could not resolve ${when}.`), `${retry} Orders already in are kept; this banner changes when it succeeds.`),
      h("details", {}, h("summary", {}, "What the server said"), h("code", { class: "alert-detail" }, d.message)),
    );
    note(`Server: resolving ${when} failed (${d.message})`, "bad");
  }

  function note(text, kind = "ok") {
    log.prepend(h("li", { class: `log-${kind}` }, `${new Date().toLocaleTimeString()} · ${text}`));
  }

  async function command(type, fields, okText) {
    try {
      const res = await socket.request(type, fields);
      if (okText) note(typeof okText === "function" ? okText(res) : okText);
      return res;
    } catch (e) {
      note(`${type.replace("_", " ")} refused: ${e.message}`, "bad");
      toast(`Refused: ${e.message}`, "error");
      return null;
    }
  }

  async function refreshGod() {
    const res = await command("god_view", {});
    if (!res) return;
    lastGodTurn = res.turn;
    addNews(res.god_view.news || []);
    hist.put({ turn: res.turn, quarter: res.god_view.quarter, god: res.god_view });
    const pending = Object.entries(res.pending || {});
    mount(
      godSlot,
      worldTables(res.god_view, null, names),
      h("h3", {}, "Orders in so far this quarter"),
      pending.length
        ? h("ul", { class: "pending" }, pending.map(([r, o]) => h("li", {}, h("strong", {}, names[r] || r), ": ", Object.entries(o).filter(([k]) => k !== "kind").map(([k, v]) => `${k} ${fmt(v)}`).join(", ") || "no change")))
        : h("p", { class: "muted" }, "None yet."),
      res.pending_events?.length ? h("p", {}, `Events queued for this quarter: ${res.pending_events.join(", ")}`) : null,
    );
    drawCharts();
  }

  async function backfill(turn) {
    for (let t = 0; t < turn; t++) {
      if (hist.has(t)) continue;
      try {
        const r = await api.replayTurn(id, t, "god", token);
        hist.put({ turn: t, quarter: r.quarter, god: r.state });
      } catch (e) {
        toast(`Could not load earlier quarters: ${e.message}`, "error");
        break;
      }
    }
    drawCharts();
  }

  function addNews(news) {
    feed.add(news.filter((n) => n.public !== false), "public", q);
    feed.add(
      news.filter((n) => n.public === false).map((n) => ({ turn: n.turn, text: `${n.text}${n.audience?.length ? ` (seen by ${n.audience.map((r) => names[r] || r).join(", ")})` : ""}` })),
      "private",
      q,
    );
  }

  function drawCharts() {
    mount(charts, godCharts(hist, horizon));
  }

  function drawSeats() {
    mount(
      seatsBody,
      state.seats.map((s) =>
        h(
          "tr",
          { dataset: { role: s.role } },
          h("th", { scope: "row" }, s.name, h("div", { class: "muted" }, `${s.role} · ${s.kind}`)),
          h("td", {}, seatWho(s), links[s.role] ? linkBox(links[s.role], `Rejoin link for ${s.name}`, `link-${s.role}`) : null),
          h("td", {}, state.phase === "lobby" ? (s.mode === "human" ? (s.ready ? "✓ ready" : "not ready yet") : "—") : s.submitted ? "✓ submitted" : s.mode === "human" ? (s.idle ? "nothing to decide" : "thinking") : s.idle ? "nothing to decide" : "—"),
          h(
            "td",
            {},
            h(
              "div",
              { class: "buttons" },
              s.mode !== "bot" ? h("button", { type: "button", onclick: () => command("set_seat", { role: s.role, mode: "bot" }, `${s.name} handed to a bot`) }, "Hand to a bot") : null,
              s.mode !== "open" ? h("button", { type: "button", onclick: () => command("set_seat", { role: s.role, mode: "open" }, `${s.name} opened to people`) }, "Open to people") : null,
            ),
          ),
        ),
      ),
    );
  }

  const pauseBtn = h("button", { type: "button", id: "pause", onclick: () => command("pause", {}, "Game paused") }, "Pause");
  const resumeBtn = h("button", { type: "button", id: "resume", onclick: () => command("resume", {}, "Game resumed") }, "Resume");
  const forceBtn = h("button", { type: "button", id: "force-turn", class: "primary", onclick: () => command("force_turn", {}, "Quarter forced: people who had not submitted kept their settings; bots played only their own seats") }, "Force the quarter now");
  const deadline = h("input", { type: "number", id: "deadline", min: "10", step: "10", placeholder: "seconds", inputmode: "numeric", value: info.deadline_seconds ?? "" });
  const deadlineForm = h(
    "form",
    { class: "inline-form" },
    h("label", { for: "deadline" }, "Seconds per quarter"),
    deadline,
    h("button", { type: "submit" }, "Set deadline"),
    h("button", { type: "button", onclick: () => command("set_deadline", { seconds: null }, "Deadline removed") }, "No deadline"),
  );
  deadlineForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const s = Number(deadline.value);
    if (!(s > 0)) {
      toast("Enter a number of seconds above zero.", "error");
      deadline.focus();
      return;
    }
    command("set_deadline", { seconds: s }, `Deadline set to ${s} s per quarter`);
  });
  const eventSel = h("select", { id: "inject-event" }, events.map((e) => h("option", { value: e.id }, e.title)));
  const eventSrc = h("p", { class: "muted", id: "inject-source" });
  const showSrc = () => {
    const e = events.find((x) => x.id === eventSel.value);
    eventSrc.textContent = e ? `Source: ${e.source}` : "";
  };
  eventSel.addEventListener("change", showSrc);
  showSrc();
  const injectForm = h("form", { class: "inline-form" }, h("label", { for: "inject-event" }, "Event"), eventSel, h("button", { type: "submit", id: "inject" }, "Deal it this quarter"), eventSrc);
  injectForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const res = await command("inject", { event: eventSel.value }, (r) => `Event dealt: ${r.title}. It takes effect when this quarter resolves.`);
    if (res) refreshGod();
  });
  const bcText = h("textarea", { id: "broadcast-text", rows: "2", maxlength: "2000", placeholder: "e.g. Ten minutes left in this round" });
  const bcForm = h("form", { class: "inline-form" }, h("label", { for: "broadcast-text" }, "Message to the room"), bcText, h("button", { type: "submit" }, "Broadcast"));
  bcForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!bcText.value.trim()) return;
    if (await command("broadcast", { text: bcText.value.trim() }, `Broadcast: ${bcText.value.trim()}`)) bcText.value = "";
  });
  const startBtn = h("button", { type: "button", id: "start", class: "primary" }, "Start the game");
  startBtn.addEventListener("click", async () => {
    try {
      await api.start(id, token);
      note("Game started: the clock runs");
    } catch (e) {
      note(`Start refused: ${e.message}`, "bad");
      toast(`Refused: ${e.message}`, "error");
    }
  });
  const endBtn = h("button", { type: "button", id: "end-game" }, "End the game now");
  endBtn.addEventListener("click", async () => {
    if (!confirm("End the game for everyone now? No more quarters will be played.")) return;
    try {
      await api.end(id, token);
      note("Game ended by the facilitator");
    } catch (e) {
      note(`End refused: ${e.message}`, "bad");
      toast(`Refused: ${e.message}`, "error");
    }
  });
  const linksNote = h("p", { class: "muted", role: "status" });
  const linksBtn = h("button", { type: "button", id: "show-links" }, "Show every seat's rejoin link");
  linksBtn.addEventListener("click", async () => {
    try {
      const res = await api.seatLinks(id, token);
      const list = Array.isArray(res) ? res : res.links || res.seats || Object.entries(res).map(([role, v]) => ({ role, rejoin_url: typeof v === "string" ? v : v?.rejoin_url }));
      links = Object.fromEntries(list.filter((x) => x && x.rejoin_url).map((x) => [x.role, absolute(x.rejoin_url)]));
      linksNote.textContent = Object.keys(links).length ? "Give each person their own link only: it is their seat." : "No seat is held by a person yet.";
      drawSeats();
    } catch (e) {
      linksNote.textContent = `Could not list the links: ${e.message}`;
    }
  });
  const roomLink = h("a", { class: "button", id: "open-room", href: `#/room/${id}`, target: "_blank", rel: "noopener" }, "Show the room view (projector)");
  const invite = `${location.origin}/#/brief/${encodeURIComponent(id)}${tokens.join_code ? `?code=${encodeURIComponent(tokens.join_code)}` : ""}`;
  const revealBtn = h("button", { type: "button", id: "reveal", onclick: () => command("reveal", {}, "World revealed to the room") }, "Reveal the world to the room");
  const exportBtn = h(
    "button",
    {
      type: "button",
      onclick: async () => {
        try {
          const doc = await api.exportGame(id, token);
          const a = h("a", { href: URL.createObjectURL(new Blob([JSON.stringify(doc, null, 1)], { type: "application/json" })), download: `precipice-${id}.json` });
          document.body.append(a);
          a.click();
          a.remove();
          note("Saved game exported");
        } catch (e) {
          toast(`Export failed: ${e.message}`, "error");
        }
      },
    },
    "Download saved game",
  );

  const fcRollouts = h("select", { id: "forecast-rollouts", "aria-label": "Bot rollouts per forecast" }, [100, 200, 500, 1000].map((n) => h("option", { value: n, selected: n === 200 }, `${n} rollouts`)));
  const fcSlot = h("div", { id: "forecast-slot", "aria-live": "polite" });
  const fcCompute = h("button", { type: "button", id: "forecast-compute" }, "Compute odds");
  const fcShare = h("button", { type: "button", id: "forecast-share" }, "Show the odds to the room");
  async function forecastAction(share) {
    const n = Number(fcRollouts.value);
    fcCompute.disabled = fcShare.disabled = true;
    mount(fcSlot, h("p", { class: "computing", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), `Computing the odds… (${n} bot rollouts from now)`));
    try {
      const fc = share ? await api.shareForecast(id, token, n) : await api.forecast(id, token, n);
      mount(fcSlot, oddsCard(fc, stateNames, share ? `Shown to the room: odds from ${fc.quarter}` : `Odds from ${fc.quarter} if bots played on (only you see this)`));
      note(share ? `Odds from ${fc.quarter} shown to the room` : `Odds computed from ${fc.quarter}`);
    } catch (e) {
      mount(fcSlot, h("p", { class: "form-error", role: "alert" }, forecastError(e)));
      note(`Forecast failed: ${e.message}`, "bad");
    } finally {
      fcCompute.disabled = fcShare.disabled = false;
    }
  }
  fcCompute.addEventListener("click", () => forecastAction(false));
  fcShare.addEventListener("click", () => forecastAction(true));

  function drawButtons() {
    const lobby = state.phase === "lobby";
    const over = state.done || state.phase === "over";
    startBtn.hidden = !lobby;
    pauseBtn.hidden = state.paused || over || lobby;
    resumeBtn.hidden = !state.paused || over;
    forceBtn.disabled = over || state.paused || lobby;
    endBtn.disabled = over;
    for (const el of [...deadlineForm.elements, ...injectForm.elements]) el.disabled = over;
    forceBtn.title = state.paused ? "Resume first: no quarter resolves while paused" : "";
    revealBtn.disabled = !state.done || state.revealed;
    revealBtn.textContent = state.revealed ? "The world has been revealed" : state.done ? "Reveal the world to the room" : "Reveal the world (once the game is over)";
  }

  const socket = new GameSocket(id, token, {
    onStatus: (s, d) => status.setConn(s, d),
    onFatal: (_c, words) => {
      note(words, "bad");
      toast(words, "error");
    },
    onPush: (type, d) => {
      if (type === "game_state") {
        state = d;
        if (!d.done) q = quarterOf(d.turn, d.quarter);
        status.setState(d, horizon);
        drawSeats();
        drawButtons();
        clearTimeout(godTimer);
        godTimer = setTimeout(() => {
          const newTurn = d.turn !== lastGodTurn;
          refreshGod().then(() => newTurn && backfill(d.turn));
        }, 250);
      } else if (type === "welcome") {
        chat.set(d.chat || []);
        addNews(d.history?.news || []);
        feed.add(d.announcements || [], "announcement", q); // items are {turn, text, forecast?} already
      }
      else if (type === "chat") chat.add(d);
      else if (type === "turn_resolved") {
        addNews(d.all_news || d.news || []);
        note(`${d.quarter} resolved (${d.reason})`);
      } else if (type === "announcement") feed.add([d], "announcement", q);
      else if (type === "game_over") {
        note("The game is over");
        toast("The game is over. Reveal the world when the room is ready.");
      } else if (type === "revealed") note("The room now sees the whole world");
      else if (type === "server_error") toast(`Server: ${d.message}`, "error");
      else if (type === "server_alert") serverAlert(d);
    },
  });
  const chat = chatPanel({ me: "facilitator", canPost: true, names, send: (to, text) => socket.request("chat", { to, text }) });

  mount(
    main,
    h(
      "div",
      { class: "game-head" },
      h("h1", {}, "Facilitator console", h("span", { class: "muted" }, ` · game ${id} · ${info.scenario}`)),
      h("div", { class: "buttons" }, tokens.seat_token ? h("a", { class: "button", href: `#/play/${id}` }, `Play ${names[tokens.role] || tokens.role}`) : null, h("a", { class: "button", href: `#/replay/${id}` }, "Replay"), exportBtn),
    ),
    status.el,
    alertBox,
    h(
      "div",
      { class: "console-grid" },
      h(
        "section",
        { class: "panel controls", "aria-labelledby": "ctl-title" },
        h("h2", { id: "ctl-title" }, "Run the room"),
        h("div", { class: "buttons big" }, startBtn, pauseBtn, resumeBtn, forceBtn),
        h("div", { class: "buttons" }, roomLink, endBtn),
        deadlineForm,
        h("h3", {}, "Inject an event"),
        injectForm,
        h("h3", {}, "Broadcast"),
        bcForm,
        h("h3", {}, "Debrief"),
        h("div", { class: "buttons" }, revealBtn, h("a", { class: "button", href: `#/replay/${id}` }, "Open the replay"), reportButton(id, token, false)),
        h("h3", {}, "Forecast"),
        h("p", { class: "muted" }, "The odds of each ending if bots played every seat from now on. Only you see them unless you show them."),
        h("div", { class: "buttons" }, fcRollouts, fcCompute, fcShare),
        fcSlot,
        h("h3", {}, "Invite people"),
        h("p", { class: "muted" }, tokens.join_code ? `Join code: ${tokens.join_code}. The link carries it.` : "Share this link: people read their role card and take a seat."),
        linkBox(invite, "Invitation link", "invite"),
        h("h3", {}, "This console on another device"),
        h("p", { class: "muted" }, "Keep it to yourself: it runs the game."),
        linkBox(consoleLink(id, tokens), "The console's rejoin link", "console-rejoin"),
        h("h3", {}, "What you did"),
        log,
      ),
      h(
        "section",
        { class: "panel", "aria-labelledby": "seats-title" },
        h("h2", { id: "seats-title" }, "Seats"),
        h("p", { class: "muted" }, "People read the role cards and take a seat from the invitation link; a seat's rejoin link recovers it on another device."),
        h("div", { class: "buttons" }, linksBtn),
        linksNote,
        h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Seats" }, h("table", { class: "seats-table" }, h("thead", {}, h("tr", {}, ["Seat", "Played by", "Now", ""].map((t) => h("th", { scope: "col" }, t)))), seatsBody)),
      ),
      h("div", { class: "col-side" }, feed.el, chat.el),
      h("section", { class: "panel wide", "aria-labelledby": "god-title" }, h("div", { class: "panel-head" }, h("h2", { id: "god-title" }, "God view (only you see this)"), h("button", { type: "button", onclick: () => refreshGod() }, "Refresh")), godSlot),
      h("section", { class: "panel wide", "aria-labelledby": "fc-title" }, h("h2", { id: "fc-title" }, "The whole world over time"), charts),
    ),
  );
  status.setConn("connecting");
  status.setState(info, horizon);
  drawSeats();
  drawButtons();
  socket.connect();
  return () => {
    clearTimeout(godTimer);
    socket.stop();
    status.stop();
  };
}
