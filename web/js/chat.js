// Chat: the public channel and private channels between any two roles, server-stamped.
import { h, mount } from "./dom.js";

function time(iso) {
  const d = new Date(iso.endsWith("Z") || iso.includes("+") ? iso : `${iso}Z`);
  return Number.isNaN(d.getTime()) ? "" : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/**
 * me: the role id (or "facilitator"); canPost: false for spectators;
 * send(to, text) -> Promise (ack) ; names: role id -> display name.
 */
export function chatPanel({ me, canPost, send, names, bots = () => new Set() }) {
  const lines = [];
  const list = h("ol", { class: "chat-lines", id: "chat-lines", "aria-live": "polite" });
  const filter = h("select", { id: "chat-filter", "aria-label": "Show channel" });
  const to = h("select", { id: "chat-to", name: "to" });
  const text = h("textarea", { id: "chat-text", name: "text", rows: "2", maxlength: "2000", required: true, placeholder: "Write to the room or to one role…" });
  const err = h("p", { class: "form-error", role: "alert" });
  const name = (r) => (r === "public" ? "everyone" : r === "facilitator" ? "Facilitator" : names[r] || r);
  const tagged = (r, bot = false) => `${name(r)}${bot || bots().has(r) ? " (bot)" : ""}`;

  function channelOf(l) {
    if (l.to === "public") return "public";
    return l.from === me ? l.to : l.to === me ? l.from : `${l.from}>${l.to}`;
  }

  function drawSelectors() {
    const cur = filter.value || "all";
    const chans = new Set(["all", "public", ...lines.map(channelOf)]);
    mount(filter, [...chans].map((c) => h("option", { value: c, selected: c === cur }, c === "all" ? "All channels" : c === "public" ? "Public" : c.includes(">") ? c.split(">").map(name).join(" ↔ ") : `Private with ${name(c)}`)));
    const curTo = to.value || "public";
    mount(
      to,
      h("option", { value: "public", selected: curTo === "public" }, "Everyone (public)"),
      me !== "facilitator" ? h("option", { value: "facilitator", selected: curTo === "facilitator" }, "Private: the facilitator") : null,
      Object.keys(names)
        .filter((r) => r !== me)
        .map((r) => h("option", { value: r, selected: curTo === r }, `Private: ${tagged(r)}${bots().has(r) ? ", does not read chat" : ""}`)),
    );
  }

  function draw() {
    const f = filter.value || "all";
    const shown = lines.filter((l) => f === "all" || channelOf(l) === f);
    mount(
      list,
      shown.length
        ? shown.map((l) =>
            h(
              "li",
              { class: `chat-line${l.to === "public" ? "" : " private"}${l.from === me ? " mine" : ""}` },
              h("span", { class: "chat-meta" }, `${tagged(l.from, l.bot)}${l.to === "public" ? "" : ` → ${tagged(l.to)} (private)`} · ${time(l.at)}`),
              h("span", { class: "chat-text" }, l.text),
            ),
          )
        : h("li", { class: "muted" }, "No messages yet."),
    );
    list.scrollTop = list.scrollHeight;
  }
  filter.addEventListener("change", draw);

  const form = h(
    "form",
    { class: "chat-form", id: "chat-form" },
    h("label", { for: "chat-to" }, "To"),
    to,
    h("label", { for: "chat-text", class: "visually-hidden" }, "Message"),
    text,
    h("button", { type: "submit" }, "Send"),
    err,
  );
  text.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey) {
      ev.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    err.textContent = "";
    const t = text.value.trim();
    if (!t) return;
    try {
      await send(to.value, t);
      text.value = "";
    } catch (e) {
      err.textContent = `Not sent: ${e.message}`;
    }
  });
  drawSelectors();
  draw();
  return {
    el: h(
      "section",
      { class: "panel chat-panel", "aria-labelledby": "chat-title" },
      h("div", { class: "panel-head" }, h("h2", { id: "chat-title" }, "Chat"), filter),
      list,
      canPost && me !== "facilitator" ? h("p", { class: "muted chat-note", id: "chat-note" }, "The facilitator reads every private message. Seats marked (bot) are played by bots, which do not read chat; a bot state you propose a treaty to tells you here what it decided.") : null,
      canPost ? form : h("p", { class: "muted" }, "Spectators read the public channel."),
    ),
    set(history) {
      lines.length = 0;
      lines.push(...history);
      drawSelectors();
      draw();
    },
    add(line) {
      lines.push(line);
      drawSelectors();
      draw();
    },
    /** Redraw the recipients (who is a bot changes as seats change hands). */
    refresh() {
      drawSelectors();
      draw();
    },
  };
}
