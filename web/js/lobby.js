// The lobby: scenarios, open games, create a game, take a seat, spectate, single player, import.
import { h, mount, toast, human } from "./dom.js";
import { api } from "./api.js";
import { loadTokens, saveTokens, playerName, setPlayerName } from "./store.js";

// The bots' personalities per role kind (the server does not list them yet: see the report).
const PERSONALITIES = {
  state: ["hawk", "dove"],
  lab: ["racer", "careful"],
  official: ["diligent", "careerist"],
  whistleblower: ["bold", "fearful"],
};

function errorBox() {
  return h("p", { class: "form-error", role: "alert" });
}

function scenarioCard(sc, onSingle) {
  const roleSel = h("select", { id: `sp-role-${sc.name}`, "aria-label": `Your role in ${sc.title}` }, sc.roles.map((r) => h("option", { value: r.id }, `${r.name} (${r.kind})`)));
  const err = errorBox();
  const btn = h("button", { type: "button", class: "primary", dataset: { scenario: sc.name } }, "Play alone");
  btn.addEventListener("click", async () => {
    btn.disabled = true;
    err.textContent = "";
    try {
      await onSingle(sc.name, roleSel.value);
    } catch (e) {
      err.textContent = `Could not start: ${e.message}`;
      btn.disabled = false;
    }
  });
  return h(
    "article",
    { class: "card scenario", dataset: { scenario: sc.name } },
    h("h3", {}, sc.title),
    h("p", {}, sc.description),
    sc.playable ? h("p", { class: "muted" }, `${sc.turns} quarters from ${sc.start}, ${sc.roles.length} seats.`) : null,
    sc.playable
      ? h(
          "div",
          { class: "single" },
          h("label", { for: `sp-role-${sc.name}` }, "Play as"),
          roleSel,
          btn,
          err,
        )
      : h("p", { class: "muted" }, "Analysis only (not playable in the browser)."),
  );
}

function createForm(scenarios, onCreated) {
  const playable = scenarios.filter((s) => s.playable);
  const scSel = h("select", { id: "cg-scenario", name: "scenario" }, playable.map((s) => h("option", { value: s.name }, s.title)));
  const desc = h("p", { class: "muted", id: "cg-scenario-desc" });
  const seatsBox = h("fieldset", { class: "seats-pick" });
  const deadline = h("input", { id: "cg-deadline", type: "number", min: "10", step: "10", placeholder: "none", inputmode: "numeric" });
  const turns = h("input", { id: "cg-turns", type: "number", min: "1", max: "200", placeholder: "scenario default (28)", inputmode: "numeric" });
  const seed = h("input", { id: "cg-seed", type: "number", min: "0", placeholder: "random", inputmode: "numeric" });
  const visibility = h("select", { id: "cg-visibility", name: "visibility" }, h("option", { value: "private", selected: true }, "Private: people join with a code or an invitation link"), h("option", { value: "public" }, "Public: listed in the lobby"));
  const err = errorBox();

  function drawSeats() {
    const sc = playable.find((s) => s.name === scSel.value);
    desc.textContent = sc ? sc.description : "";
    mount(
      seatsBox,
      h("legend", {}, "Seats: open to people, or played by a bot"),
      (sc?.roles || []).map((r) => {
        const pers = PERSONALITIES[r.kind] || [];
        return h(
          "div",
          { class: "seat-pick" },
          h("input", { type: "checkbox", id: `cg-open-${r.id}`, name: "open", value: r.id, checked: true }),
          h("label", { for: `cg-open-${r.id}` }, `${r.name}`, h("span", { class: "muted" }, ` ${r.kind}`)),
          h(
            "select",
            { id: `cg-pers-${r.id}`, "aria-label": `Bot personality for ${r.name}`, dataset: { role: r.id } },
            pers.map((p) => h("option", { value: p, selected: p === r.personality }, `bot: ${p}${p === r.personality ? " (default)" : ""}`)),
          ),
        );
      }),
    );
  }
  scSel.addEventListener("change", drawSeats);
  drawSeats();

  const form = h(
    "form",
    { class: "create", id: "create-game", "aria-labelledby": "create-title" },
    h("div", { class: "field" }, h("label", { for: "cg-scenario" }, "Scenario"), scSel, desc),
    seatsBox,
    h("div", { class: "field" }, h("label", { for: "cg-visibility" }, "Who can join"), visibility),
    h(
      "div",
      { class: "field-row" },
      h("div", { class: "field" }, h("label", { for: "cg-deadline" }, "Seconds per turn"), deadline, h("p", { class: "muted" }, "Blank: no deadline; the quarter waits for every person. The clock starts only when you start the game.")),
      h("div", { class: "field" }, h("label", { for: "cg-turns" }, "Turns (quarters)"), turns),
      h("div", { class: "field" }, h("label", { for: "cg-seed" }, "Seed"), seed),
    ),
    h("div", { class: "form-actions" }, h("button", { type: "submit", class: "primary", id: "create-submit" }, "Create the exercise and open the facilitator console")),
    err,
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    err.textContent = "";
    const sc = playable.find((s) => s.name === scSel.value);
    const open = [...seatsBox.querySelectorAll("input[name=open]:checked")].map((i) => i.value);
    const personalities = {};
    for (const sel of seatsBox.querySelectorAll("select[data-role]")) {
      const def = sc.roles.find((r) => r.id === sel.dataset.role)?.personality;
      if (sel.value && sel.value !== def) personalities[sel.dataset.role] = sel.value;
    }
    const body = { scenario: sc.name, open_seats: open, personalities, player: playerName() };
    if (visibility.value !== "private") body.visibility = visibility.value; // private is the server's default for exercises
    if (deadline.value) body.deadline_seconds = Number(deadline.value);
    if (seed.value) body.seed = Number(seed.value);
    if (turns.value) body.overrides = { turns: Number(turns.value) };
    try {
      const res = await api.create(body);
      saveTokens(res.game_id, { facilitator_token: res.facilitator_token, facilitator_rejoin_url: res.facilitator_rejoin_url || undefined, join_code: res.join_code || undefined });
      onCreated(res);
    } catch (e) {
      err.textContent = `Could not create the game: ${e.message}`;
    }
  });
  return form;
}

function gameRow(g, scenarios) {
  const title = scenarios.find((s) => s.name === g.scenario)?.title || g.scenario;
  const mine = loadTokens(g.game_id);
  const links = [];
  if (mine.seat_token) links.push(h("a", { class: "button primary", href: `#/play/${g.game_id}` }, `Rejoin as ${mine.role}`));
  if (mine.facilitator_token) links.push(h("a", { class: "button", href: `#/facilitate/${g.game_id}` }, "Facilitator console"));
  if (!g.done) links.push(h("a", { class: "button", href: `#/play/${g.game_id}?spectate=1` }, "Spectate"));
  links.push(h("a", { class: "button", href: `#/replay/${g.game_id}` }, g.done ? "Debrief and replay" : "Replay"));
  const open = g.done ? [] : g.seats.filter((s) => s.mode === "open");
  const seatButtons = open.map((s) => h("a", { class: "button", href: `#/brief/${g.game_id}/${encodeURIComponent(s.role)}`, dataset: { role: s.role, game: g.game_id } }, `${s.name}: read the card and take it`));
  const people = g.seats.filter((s) => s.mode === "human").map((s) => `${s.name}${s.player ? ` (${s.player})` : ""}`);
  return h(
    "tr",
    { dataset: { game: g.game_id } },
    h("th", { scope: "row" }, h("code", {}, g.game_id), h("div", { class: "muted" }, title)),
    h("td", {}, g.done || g.phase === "over" ? "over" : g.phase === "lobby" ? "not started (seating)" : g.paused ? `${g.quarter}, paused` : `${g.quarter} (quarter ${g.turn + 1})`),
    h("td", {}, people.length ? people.join(", ") : h("span", { class: "muted" }, "nobody yet")),
    h("td", {}, seatButtons.length ? h("div", { class: "buttons" }, seatButtons) : h("span", { class: "muted" }, g.done ? "—" : "no open seats")),
    h("td", {}, h("div", { class: "buttons" }, links)),
  );
}

/** An in-page link that moves the focus (the router owns the hash). */
function jump(targetId) {
  return (ev) => {
    ev.preventDefault();
    const el = document.getElementById(targetId);
    if (!el) return;
    el.setAttribute("tabindex", "-1");
    el.scrollIntoView({ block: "start" });
    el.focus({ preventScroll: true });
  };
}

export async function lobbyView(main) {
  const [scenarios, games] = await Promise.all([api.scenarios(), api.games()]);
  const name = h("input", { id: "player-name", type: "text", maxlength: "64", value: playerName(), autocomplete: "nickname", placeholder: "e.g. Sam" });
  name.addEventListener("change", () => setPlayerName(name.value.trim()));
  const gamesBody = h("tbody");
  const gamesNote = h("p", { class: "muted", role: "status" });

  async function refresh(auto = false) {
    if (auto === true && gamesBody.contains(document.activeElement)) return;
    try {
      const list = await api.games();
      mount(gamesBody, list.map((g) => gameRow(g, scenarios)));
      gamesNote.textContent = list.length ? "" : "No games yet: create one below, or play alone.";
    } catch (e) {
      gamesNote.textContent = `Could not load the games: ${e.message}`;
    }
  }
  mount(gamesBody, games.map((g) => gameRow(g, scenarios)));
  gamesNote.textContent = games.length ? "" : "No games yet: create one below, or play alone.";

  async function single(scenario, seat) {
    const res = await api.create({ scenario, single_player: true, seat, player: playerName() });
    saveTokens(res.game_id, { facilitator_token: res.facilitator_token, seat_token: res.seat_token, role: seat, rejoin_url: res.rejoin_url || undefined });
    location.hash = `#/play/${res.game_id}`;
  }

  const file = h("input", { type: "file", id: "import-file", accept: "application/json,.json" });
  const importErr = errorBox();
  file.addEventListener("change", async () => {
    importErr.textContent = "";
    const f = file.files[0];
    if (!f) return;
    let doc;
    try {
      doc = JSON.parse(await f.text());
    } catch {
      importErr.textContent = "That file is not JSON: export a game from Precipice and try again.";
      return;
    }
    try {
      const res = await api.importGame(doc);
      saveTokens(res.game_id, { facilitator_token: res.facilitator_token });
      toast(`Imported as game ${res.game_id}; every turn's hash checked.`);
      location.hash = `#/replay/${res.game_id}`;
    } catch (e) {
      importErr.textContent = `The server could not import it: ${e.message}`;
    }
  });

  mount(
    main,
    h("nav", { class: "skips", "aria-label": "On this page" }, h("a", { href: "#create-title", onclick: jump("create-title") }, "Run an exercise"), h("a", { href: "#games-title", onclick: jump("games-title") }, "Join a game"), h("a", { href: "#sc-title", onclick: jump("sc-title") }, "Play alone"), h("a", { href: "#/how" }, "How a quarter works")),
    h(
      "section",
      { class: "hero" },
      h("h1", {}, "Precipice"),
      h("p", { class: "lede" }, "A policy game about the AI race between a democracy and a one-party state, and about the brakes on that race. Take a seat as a state, a lab, an embedded official or a whistleblower; bots play the rest."),
      h("div", { class: "field inline" }, h("label", { for: "player-name" }, "Your name (shown to the room)"), name),
    ),
    h(
      "section",
      { class: "panel", "aria-labelledby": "games-title" },
      h("div", { class: "panel-head" }, h("h2", { id: "games-title" }, "Games on this server"), h("button", { type: "button", onclick: () => refresh() }, "Refresh")),
      gamesNote,
      h(
        "div",
        { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Games on this server" },
        h("table", { class: "games" }, h("thead", {}, h("tr", {}, ["Game", "Quarter", "People", "Open seats", ""].map((t) => h("th", { scope: "col" }, t)))), gamesBody),
      ),
    ),
    h("section", { class: "panel", "aria-labelledby": "sc-title" }, h("h2", { id: "sc-title" }, "Scenarios"), h("div", { class: "cards" }, scenarios.map((s) => scenarioCard(s, single)))),
    h(
      "section",
      { class: "panel", "aria-labelledby": "create-title" },
      h("h2", { id: "create-title" }, "Run a tabletop exercise"),
      h("p", { class: "muted" }, "You become the facilitator. The game waits in the lobby while people read their role cards, take seats and say they are ready; you start it from the console, then pause, set the clock, force quarters, inject events, end it and reveal the world. The console gives you an invitation link (with the join code) to share."),
      h("p", {}, h("a", { href: "#/how" }, "How a quarter works"), " · ", h("a", { href: "#/brief/baseline" }, "Role cards of the baseline scenario")),
      createForm(scenarios, (res) => {
        location.hash = `#/facilitate/${res.game_id}`;
      }),
    ),
    h(
      "section",
      { class: "panel", "aria-labelledby": "import-title" },
      h("h2", { id: "import-title" }, "Replay a saved game"),
      h("div", { class: "field" }, h("label", { for: "import-file" }, "Upload a game exported from Precipice (JSON)"), file),
      importErr,
    ),
  );
  const timer = setInterval(() => refresh(true), 10000);
  return () => clearInterval(timer);
}
