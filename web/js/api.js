// The REST API under /api: every failure becomes an ApiError with a sentence for people.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function call(method, path, { body, token, html = false } = {}) {
  const headers = { Accept: html ? "text/html" : "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(`/api${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network", "Cannot reach the game server. Check that it is running and your network is up.");
  }
  if (html && res.ok) return res.text();
  let data = null;
  try {
    data = await res.json();
  } catch {
    if (!res.ok) throw new ApiError(res.status, "bad_reply", `The server answered ${res.status} ${res.statusText} without details.`);
    throw new ApiError(res.status, "bad_reply", "The server sent a reply this page cannot read.");
  }
  if (!res.ok) {
    let msg = data && (data.message || data.detail);
    if (Array.isArray(msg)) msg = msg.map((d) => `${(d.loc || []).slice(1).join(".")}: ${d.msg}`).join("; ");
    throw new ApiError(res.status, (data && data.error) || "http_error", msg || `The server refused the request (${res.status}).`);
  }
  return data;
}

export const api = {
  scenarios: () => call("GET", "/scenarios"),
  events: () => call("GET", "/events"),
  briefing: (scenario) => call("GET", `/scenarios/${encodeURIComponent(scenario)}/briefing`),
  /** The public games: a list (older servers) or {games, total, ...}; always returns the list. */
  games: async () => {
    const r = await call("GET", "/games");
    return Array.isArray(r) ? r : r.games || [];
  },
  game: (id) => call("GET", `/games/${encodeURIComponent(id)}`),
  create: (body) => call("POST", "/games", { body }),
  claim: (id, role, player, joinCode) =>
    call("POST", `/games/${encodeURIComponent(id)}/seats/${encodeURIComponent(role)}/claim`, { body: joinCode ? { player, join_code: joinCode } : { player } }),
  start: (id, token) => call("POST", `/games/${encodeURIComponent(id)}/start`, { token }),
  end: (id, token) => call("POST", `/games/${encodeURIComponent(id)}/end`, { token }),
  seatLinks: (id, token) => call("GET", `/games/${encodeURIComponent(id)}/seats/links`, { token }),
  /** A QR code's modules for a text (sent in the body, never in a URL). */
  qr: (text) => call("POST", "/qr", { body: { text } }),
  release: (id, role, token) =>
    call("POST", `/games/${encodeURIComponent(id)}/seats/${encodeURIComponent(role)}/release`, { token }),
  exportGame: (id, token) => call("GET", `/games/${encodeURIComponent(id)}/export`, { token }),
  importGame: (doc) => call("POST", "/games/import", { body: doc }),
  replayIndex: (id) => call("GET", `/games/${encodeURIComponent(id)}/replay`),
  replayTurn: (id, turn, view, token) =>
    call("GET", `/games/${encodeURIComponent(id)}/replay/${turn}?view=${encodeURIComponent(view)}`, { token }),
  forecast: (id, token, rollouts = 200) =>
    call("GET", `/games/${encodeURIComponent(id)}/forecast?rollouts=${rollouts}`, { token }),
  shareForecast: (id, token, rollouts = 200) =>
    call("POST", `/games/${encodeURIComponent(id)}/forecast/share?rollouts=${rollouts}`, { token }),
  forecastSeries: (id, token, rollouts = 40) =>
    call("GET", `/games/${encodeURIComponent(id)}/forecast/series?rollouts=${rollouts}`, { token }),
  /** The debrief report as an HTML string. */
  report: (id, token, rollouts = 40) =>
    call("GET", `/games/${encodeURIComponent(id)}/report?rollouts=${rollouts}`, { token, html: true }),
  reportUrl: (id, rollouts = 40) => `/api/games/${encodeURIComponent(id)}/report?rollouts=${rollouts}`,
  fork: (id, turn, token, openSeats) =>
    call("POST", `/games/${encodeURIComponent(id)}/fork`, { body: { turn, open_seats: openSeats ?? null }, token }),
};
