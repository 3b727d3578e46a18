// The router: #/ lobby, #/play/<id>, #/facilitate/<id>, #/replay/<id>. Each view returns a cleanup.
import { h, mount, toast } from "./dom.js";
import { lobbyView } from "./lobby.js";
import { playView } from "./game.js";
import { facilitatorView } from "./facilitator.js";
import { replayView } from "./replay.js";

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
  try {
    if (view === "play" && id) cleanup = await playView(main, id, query);
    else if (view === "facilitate" && id) cleanup = await facilitatorView(main, id, query);
    else if (view === "replay" && id) cleanup = await replayView(main, id, query);
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

window.addEventListener("hashchange", route);
window.addEventListener("unhandledrejection", (ev) => {
  toast(`Something failed: ${ev.reason?.message || ev.reason}`, "error");
});
projector();
route();
