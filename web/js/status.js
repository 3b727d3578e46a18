// The game's status bar (sticky: it stays in view wherever the player is): quarter, clock,
// paused / submitted, how far the leading lab is from the ASI threshold, connection; and
// below it (not sticky) who has submitted.
import { h, mount } from "./dom.js";

const CONN_WORDS = {
  connecting: "Connecting…",
  live: "Connected",
  reconnecting: "Connection lost: reconnecting",
  closed: "Disconnected",
};

/** "the leading lab is about N points away" from a public world record (benchmarks only). */
export function thresholdWords(world) {
  const asi = world?.thresholds?.asi;
  const labs = Object.values(world?.labs || {}).filter((l) => !l.merged_into && typeof l.benchmark === "number");
  if (typeof asi !== "number" || !labs.length) return "";
  const lead = labs.reduce((a, b) => (b.benchmark > a.benchmark ? b : a));
  const gap = Math.round(asi - lead.benchmark);
  if (gap <= 0) return `${lead.name} has reached the ASI threshold (${asi} points)`;
  return `ASI threshold: the leading lab (${lead.name}) is about ${gap} point${gap === 1 ? "" : "s"} away`;
}

/** Who plays a seat, in words (bots marked as bots). */
export function seatWho(s) {
  if (s.mode === "bot") return "bot";
  if (s.mode === "open") return "open seat (a bot plays it until someone takes it)";
  return `${s.player || "a person"}${s.connected ? "" : s.away ? ", away (a bot covers)" : ", disconnected"}`;
}

export function statusBar() {
  const quarter = h("span", { class: "quarter", id: "quarter" });
  const clock = h("span", { class: "clock", id: "clock", role: "timer", "aria-live": "off" });
  const mine = h("span", { class: "mine", id: "my-state" });
  const distance = h("span", { class: "distance", id: "threshold-distance" });
  const conn = h("span", { class: "conn", id: "conn", role: "status" });
  const seats = h("ul", { class: "seats", id: "seats", "aria-label": "Seats and who has submitted" });
  const el = h("div", { class: "statusbar", id: "statusbar" }, h("div", { class: "status-row" }, quarter, clock, mine, distance, conn));
  let state = null;
  let me = null;
  let tick = null;
  let skew = 0; // server clock minus this browser's clock, in seconds

  function drawClock() {
    if (!state) return;
    let text;
    let cls = "clock";
    if (state.done || state.phase === "over") text = "Game over";
    else if (state.phase === "lobby") text = "Not started: the clock starts when the facilitator starts the game";
    else if (state.phase === "abandoned") text = "Stopped: nobody is connected";
    else if (state.paused) {
      text = "Paused by the facilitator";
      cls += " paused";
    } else if (state.deadline_at) {
      const left = Math.max(0, Math.round(state.deadline_at - (Date.now() / 1000 + skew)));
      const m = Math.floor(left / 60);
      const s = String(left % 60).padStart(2, "0");
      text = left > 0 ? `${m}:${s} left this quarter` : "Time is up: resolving…";
      if (left <= 30) cls += " urgent";
    } else text = "No deadline: the quarter ends when every person has submitted";
    clock.textContent = text;
    clock.className = cls;
  }

  function drawMine() {
    const seat = me && state?.seats?.find((s) => s.role === me);
    if (!seat || state.done || state.phase === "lobby") {
      mine.textContent = "";
      mine.className = "mine";
      return;
    }
    mine.textContent = seat.submitted ? "✓ Your orders are in" : seat.idle ? "Nothing for you to decide" : "Your orders are not in yet";
    mine.className = `mine ${seat.submitted ? "mine-in" : "mine-out"}`;
  }

  return {
    el,
    seats,
    /** The role this page plays (its own submitted state is shown in the bar). */
    setMe(role) {
      me = role;
      drawMine();
    },
    setState(st, horizon) {
      state = st;
      if (typeof st.server_now === "number") skew = st.server_now - Date.now() / 1000;
      const h0 = horizon ?? st.world?.horizon;
      quarter.textContent = st.done ? `Ended in ${st.quarter}` : `${st.quarter} · quarter ${st.turn + 1}${h0 ? ` of ${h0}` : ""}`;
      distance.textContent = st.done ? "" : thresholdWords(st.world);
      drawClock();
      drawMine();
      clearInterval(tick);
      if (st.deadline_at && !st.paused && !st.done) tick = setInterval(drawClock, 1000);
      mount(
        seats,
        st.seats.map((s) => {
          const done = st.done ? "" : s.submitted ? "submitted" : s.mode === "human" ? (s.idle ? "idle" : "thinking") : "";
          return h(
            "li",
            { class: `seat seat-${s.mode}${s.submitted ? " submitted" : ""}`, dataset: { role: s.role } },
            h("span", { class: "seat-name" }, s.name),
            h("span", { class: "seat-who" }, seatWho(s)),
            st.phase === "lobby" && s.mode === "human" ? h("span", { class: "seat-done" }, s.ready ? "✓ ready" : "not ready yet") : null,
            done && st.phase !== "lobby" ? h("span", { class: "seat-done" }, s.submitted ? "✓ submitted" : s.idle ? "nothing to decide" : "… thinking") : null,
          );
        }),
      );
    },
    setConn(status, detail) {
      conn.textContent = `${CONN_WORDS[status] || status}${detail ? ` (${detail})` : ""}`;
      conn.className = `conn conn-${status}`;
      conn.dataset.state = status;
    },
    stop() {
      clearInterval(tick);
    },
  };
}
