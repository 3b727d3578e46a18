// Rejoin links: a seat (or the console) opened on another device by a URL whose fragment holds the
// token (never sent to the server), shown with a QR code and a copy button.
import { h, svg, mount } from "./dom.js";
import { api } from "./api.js";

/** An absolute rejoin URL from what the server returned (absolute or root-relative). */
export function absolute(url) {
  return new URL(url, location.origin).href;
}

/** This browser's rejoin URL for a seat: the server's if it gave one, else built the same way. */
export function seatLink(id, tokens) {
  if (tokens.rejoin_url) return absolute(tokens.rejoin_url);
  return `${location.origin}/#/play/${encodeURIComponent(id)}/${encodeURIComponent(tokens.role)}?t=${encodeURIComponent(tokens.seat_token)}`;
}

/** The console's rejoin URL. */
export function consoleLink(id, tokens) {
  if (tokens.facilitator_rejoin_url) return absolute(tokens.facilitator_rejoin_url);
  return `${location.origin}/#/facilitate/${encodeURIComponent(id)}?t=${encodeURIComponent(tokens.facilitator_token)}`;
}

/** A QR code drawn as SVG from the server's module matrix. */
async function qr(text, label) {
  const code = await api.qr(text);
  const rects = [];
  code.rows.forEach((row, y) => {
    for (let x = 0; x < row.length; x++) if (row[x] === "1") rects.push(svg("rect", { x, y, width: 1, height: 1 }));
  });
  return svg("svg", { viewBox: `0 0 ${code.size} ${code.size}`, class: "qr", role: "img", "aria-label": label, "shape-rendering": "crispEdges" }, svg("rect", { x: 0, y: 0, width: code.size, height: code.size, fill: "#fff" }), svg("g", { fill: "#000" }, rects));
}

/** A link with a copy button and (on demand) its QR code. */
export function linkBox(url, label, idPrefix) {
  const input = h("input", { type: "text", readonly: true, value: url, id: `${idPrefix}-url`, class: "rejoin-url", "aria-label": label });
  const note = h("span", { class: "muted", role: "status" });
  const copy = h("button", { type: "button", id: `${idPrefix}-copy` }, "Copy link");
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(url);
      note.textContent = "Copied.";
    } catch {
      input.select();
      note.textContent = "Select the link and copy it (this browser blocked the clipboard).";
    }
  });
  const slot = h("div", { class: "qr-slot", id: `${idPrefix}-qr` });
  const show = h("button", { type: "button", id: `${idPrefix}-show-qr` }, "Show QR code");
  show.addEventListener("click", async () => {
    try {
      mount(slot, await qr(url, `QR code: ${label}`));
      show.hidden = true;
    } catch (e) {
      mount(slot, h("p", { class: "form-error" }, `No QR code: ${e.message}`));
    }
  });
  return h("div", { class: "rejoin" }, input, h("div", { class: "buttons" }, copy, show, note), slot);
}

/** The player's panel: open this seat on another device. */
export function rejoinPanel(id, tokens) {
  if (!tokens.seat_token) return null;
  return h(
    "details",
    { class: "panel rejoin-panel", id: "rejoin" },
    h("summary", {}, "Play this seat on another device"),
    h("p", { class: "muted" }, "Open this link (or scan the code) on another phone, laptop or browser: it takes over your seat there and this page stops. Keep it secret: it is your seat."),
    linkBox(seatLink(id, tokens), "Your seat's rejoin link", "seat-rejoin"),
  );
}
