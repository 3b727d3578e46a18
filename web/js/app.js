// The router: #/ lobby, #/play/<id>, #/facilitate/<id>, #/replay/<id>, #/room/<id> (projector),
// #/brief/<id>[/<role>] and #/how (briefing). A rejoin link (#/play/<id>/<role>?t=TOKEN or
// #/facilitate/<id>?t=TOKEN) stores its token in this browser and drops it from the address bar.
// Each view returns a cleanup.
import { h, mount, toast } from "./dom.js";
import { lobbyView } from "./lobby.js";
import { playView } from "./game.js";
import { facilitatorView } from "./facilitator.js";
import { replayView } from "./replay.js";
import { roomView } from "./room.js";
import { briefView, howView } from "./briefing.js";
import { saveTokens } from "./store.js";

let cleanup = null;

function parse() {
  const raw = location.hash.replace(/^#\/?/, "");
  const [path, query = ""] = raw.split("?");
  const parts = path.split("/").filter(Boolean);
  return { parts, query: new URLSearchParams(query) };
}

async function route() {
  if (cleanup) {
    try {
      cleanup();
    } catch {
      /* a view that failed to clean up must not block the next */
    }
    cleanup = null;
  }
  const main = document.getElementById("main");
  mount(main, h("p", { class: "muted" }, "Loading…"));
  const { parts, query } = parse();
  const [view, id] = parts;
  const t = query.get("t");
  if (t && id && (view === "play" || view === "facilitate")) {
    // A rejoin link: keep the token here, then show a clean address (the token never leaves the fragment).
    if (view === "play") saveTokens(id, { seat_token: t, role: parts[2] ? decodeURIComponent(parts[2]) : undefined, rejoin_url: location.href });
    else saveTokens(id, { facilitator_token: t, facilitator_rejoin_url: location.href });
    history.replaceState(null, "", `#/${view}/${id}`);
    query.delete("t");
  }
  try {
    if (view === "play" && id) cleanup = await playView(main, id, query);
    else if (view === "facilitate" && id) cleanup = await facilitatorView(main, id, query);
    else if (view === "replay" && id) cleanup = await replayView(main, id, query);
    else if (view === "room" && id) cleanup = await roomView(main, id);
    else if (view === "brief" && id) cleanup = await briefView(main, id, parts[2] ? decodeURIComponent(parts[2]) : null, query);
    else if (view === "how") cleanup = await howView(main);
    else cleanup = await lobbyView(main);
  } catch (e) {
    mount(
      main,
      h("section", { class: "panel error-panel", role: "alert" }, h("h1", {}, "Something went wrong"), h("p", {}, e.message || String(e)), h("p", {}, h("a", { href: "#/" }, "Back to the lobby"))),
    );
  }
  main.focus({ preventScroll: true });
}

function projector() {
  const btn = document.getElementById("projector");
  const set = (on) => {
    document.documentElement.classList.toggle("projector", on);
    btn.setAttribute("aria-pressed", String(on));
    localStorage.setItem("precipice:projector", on ? "1" : "");
  };
  set(localStorage.getItem("precipice:projector") === "1");
  btn.addEventListener("click", () => set(!document.documentElement.classList.contains("projector")));
}

// The skip link moves focus to the content without touching the hash (the router owns it).
document.querySelector("a.skip")?.addEventListener("click", (ev) => {
  ev.preventDefault();
  const main = document.getElementById("main");
  main.scrollIntoView({ block: "start" });
  main.focus({ preventScroll: true });
});

window.addEventListener("hashchange", route);
window.addEventListener("unhandledrejection", (ev) => {
  toast(`Something failed: ${ev.reason?.message || ev.reason}`, "error");
});
projector();
route();
