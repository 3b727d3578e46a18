// Briefing before seating: a role card per seat (who you are, what you control, objectives, what
// you see and don't, how long a session takes), seat claims with the join code, and "how a
// quarter works".
import { h, mount } from "./dom.js";
import { api } from "./api.js";
import { label } from "./labels.js";
import { loadTokens, saveTokens, playerName, setPlayerName } from "./store.js";

function card(c, seat, claim) {
  const open = seat && seat.mode === "open";
  const taken = seat && seat.mode === "human";
  return h(
    "article",
    { class: "card role-card", id: `card-${c.id}`, dataset: { role: c.id }, "aria-labelledby": `card-${c.id}-title` },
    h("h3", { id: `card-${c.id}-title` }, c.name, h("span", { class: "muted" }, ` · ${c.kind === "ai" ? "AI" : c.kind}`)),
    h("p", {}, c.who),
    h("h4", {}, "What you control"),
    c.controls.length ? h("ul", {}, c.controls.map((x) => h("li", {}, h("strong", {}, label(x.name)), x.description ? `: ${x.description}` : ""))) : null,
    h("p", { class: "muted" }, c.controls_note),
    h("h4", {}, "Your objectives"),
    h("ul", {}, c.objectives.map((t) => h("li", {}, t))),
    h("h4", {}, "What you see"),
    h("ul", {}, c.sees.map((t) => h("li", {}, t))),
    h("h4", {}, "What you don't see"),
    h("ul", {}, c.hidden.map((t) => h("li", {}, t))),
    seat
      ? h(
          "div",
          { class: "card-foot" },
          open ? claim(c) : h("p", { class: "muted" }, taken ? `Taken by ${seat.player || "a person"}.` : "Played by a bot in this game."),
        )
      : null,
  );
}

/** The role cards of a game (claim buttons on open seats) or of a scenario. */
export async function briefView(main, id, focusRole, query = new URLSearchParams()) {
  let game = null;
  let scenario = id;
  try {
    game = await api.game(id);
    scenario = game.scenario;
  } catch {
    game = null; // not a game: a scenario name
  }
  const brief = await api.briefing(scenario);
  const name = h("input", { id: "player-name", type: "text", maxlength: "64", value: playerName(), autocomplete: "nickname", placeholder: "e.g. Sam" });
  name.addEventListener("change", () => setPlayerName(name.value.trim()));
  const code = h("input", { id: "join-code", type: "text", maxlength: "64", value: query.get("code") || loadTokens(id).join_code || "", autocomplete: "off", placeholder: "from the facilitator" });
  const mine = game ? loadTokens(id) : {};

  function claim(c) {
    const err = h("p", { class: "form-error", role: "alert" });
    const btn = h("button", { type: "button", class: "primary", id: `claim-${c.id}`, dataset: { role: c.id } }, `Take this seat: ${c.name}`);
    btn.addEventListener("click", async () => {
      btn.disabled = true;
      err.textContent = "";
      setPlayerName(name.value.trim());
      try {
        const res = await api.claim(id, c.id, name.value.trim(), code.value.trim() || undefined);
        saveTokens(id, { seat_token: res.seat_token, role: c.id, rejoin_url: res.rejoin_url || undefined });
        location.hash = `#/play/${id}`;
      } catch (e) {
        err.textContent = `Could not take ${c.name}: ${e.message}${e.code === "join_code_required" || /join.?code/i.test(e.message) ? " Ask the facilitator for the join code." : ""}`;
        btn.disabled = false;
      }
    });
    return h("div", {}, btn, err);
  }

  const seats = Object.fromEntries((game?.seats || []).map((s) => [s.role, s]));
  const cards = brief.cards.map((c) => card(c, game ? seats[c.id] : null, claim));
  mount(
    main,
    h("h1", {}, game ? `Briefing: game ${id}` : `Briefing: ${brief.title}`),
    h("section", { class: "panel", "aria-labelledby": "brief-title" },
      h("h2", { id: "brief-title" }, brief.title),
      h("p", {}, brief.session),
      h("p", {}, h("a", { href: "#/how" }, "How a quarter works"), " · ", h("a", { href: "#/" }, "Back to the lobby")),
      mine.seat_token ? h("p", {}, h("a", { class: "button primary", href: `#/play/${id}` }, `Back to your seat (${mine.role})`)) : null,
      game
        ? h("div", { class: "field-row" },
            h("div", { class: "field" }, h("label", { for: "player-name" }, "Your name (shown to the room)"), name),
            h("div", { class: "field" }, h("label", { for: "join-code" }, "Join code (private games)"), code))
        : null,
    ),
    h("div", { class: "cards role-cards" }, cards),
  );
  if (focusRole) document.getElementById(`card-${focusRole}`)?.scrollIntoView({ block: "start" });
  return () => {};
}

const STEPS = [
  ["Read the quarter", "The sticky bar at the top says the quarter, the time left, whether the game is paused, whether your orders are in, and how far the leading lab is from the ASI threshold. The summary panel says what happened last quarter and what your orders did."],
  ["Talk", "Chat in public or privately with any seat (bots do not read chat). The facilitator reads every private message; you can write to the facilitator too."],
  ["Decide", "Your orders are at the top of your page: one control per lever, with its bounds, its unit and what it does. Levers you leave alone stay as they are."],
  ["Submit", "Submit before the clock runs out. You can change your orders until the quarter resolves. A person who does not submit keeps last quarter's settings; bots play only the seats nobody holds."],
  ["The world moves", "Everyone's orders resolve at once, in a fixed order: policy, money and compute, research, safety and evaluation, the AIs' secret moves, brakes and whistleblowers, politics, and the outcome. Events may strike."],
  ["Until the end", "The game ends when a lab builds a superintelligence (corrigible, or rogue: then everyone loses), when time runs out, or when the facilitator ends it. Then the facilitator reveals the hidden world and walks the room through the debrief."],
];

/** "How a quarter works": a short page for people new to the game. */
export async function howView(main) {
  mount(
    main,
    h("h1", {}, "How a quarter works"),
    h("section", { class: "panel", "aria-labelledby": "how-title" },
      h("h2", { id: "how-title" }, "One quarter, step by step"),
      h("ol", { class: "how" }, STEPS.map(([t, d]) => h("li", {}, h("strong", {}, t), `: ${d}`))),
      h("p", {}, "Capability and alignment are in points (the ASI threshold is 100 in the baseline), money in $B a quarter, compute in units of about 100,000 H100-equivalent chips."),
      h("p", {}, h("a", { href: "#/" }, "Back to the lobby")),
    ),
  );
  return () => {};
}
