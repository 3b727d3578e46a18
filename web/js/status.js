// The game's status bar: quarter, turn, clock (deadline countdown), connection state, seats.
import { h, mount } from "./dom.js";

const CONN_WORDS = {
  connecting: "Connecting…",
  live: "Connected",
  reconnecting: "Connection lost: reconnecting",
  closed: "Disconnected",
};

export function statusBar() {
  const quarter = h("span", { class: "quarter", id: "quarter" });
  const clock = h("span", { class: "clock", id: "clock", role: "timer", "aria-live": "off" });
  const conn = h("span", { class: "conn", id: "conn", role: "status" });
  const seats = h("ul", { class: "seats", id: "seats", "aria-label": "Seats and who has submitted" });
  const el = h("div", { class: "statusbar" }, h("div", { class: "status-row" }, quarter, clock, conn), seats);
  let state = null;
  let tick = null;
  let skew = 0; // server clock minus this browser's clock, in seconds

  function drawClock() {
    if (!state) return;
    let text;
    let cls = "clock";
    if (state.done) text = "Game over";
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

  return {
    el,
    setState(st, horizon) {
      state = st;
      if (typeof st.server_now === "number") skew = st.server_now - Date.now() / 1000;
      const h0 = horizon ?? st.world?.horizon;
      quarter.textContent = st.done ? `Ended in ${st.quarter}` : `${st.quarter} · turn ${st.turn + 1}${h0 ? ` of ${h0}` : ""}`;
      drawClock();
      clearInterval(tick);
      if (st.deadline_at && !st.paused && !st.done) tick = setInterval(drawClock, 1000);
      mount(
        seats,
        st.seats.map((s) => {
          const who = s.mode === "bot" ? "bot" : s.mode === "open" ? "open seat (bot until taken)" : `${s.player || "a person"}${s.connected ? "" : s.away ? ", away (bot covering)" : ", disconnected"}`;
          const done = st.done ? "" : s.submitted ? "submitted" : s.mode === "human" ? (s.idle ? "idle" : "thinking") : "";
          return h(
            "li",
            { class: `seat seat-${s.mode}${s.submitted ? " submitted" : ""}`, dataset: { role: s.role } },
            h("span", { class: "seat-name" }, s.name),
            h("span", { class: "seat-who" }, who),
            done ? h("span", { class: "seat-done" }, s.submitted ? "✓ submitted" : s.idle ? "nothing to decide" : "… thinking") : null,
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
