// One game's websocket: hello with a token, ack/error matched by id, pushes to a handler,
// reconnect with backoff after a drop, and a connection state the page shows.

const FINAL_CODES = {
  4000: "This seat was opened in another window or tab; this one stopped.",
  4001: "The facilitator took this seat back.",
  4401: "The server did not accept this connection's token.",
  4404: "There is no such game on this server.",
  1013: "The server is full right now.",
};

export class ProtocolError extends Error {
  constructor(code, message, field) {
    super(message);
    this.code = code;
    this.field = field;
  }
}

export class GameSocket {
  /**
   * @param {string} gameId
   * @param {string|null} token  seat or facilitator token; null to spectate
   * @param {{onPush: Function, onStatus: Function, onFatal: Function, onHello?: Function}} hooks
   */
  constructor(gameId, token, hooks) {
    this.gameId = gameId;
    this.token = token;
    this.hooks = hooks;
    this.nextId = 1;
    this.pending = new Map();
    this.attempt = 0;
    this.stopped = false;
    this.ws = null;
    this.status = "connecting";
    this.timer = null;
    this.pinger = null;
    this.target = null;
    this.onOnline = () => {
      if (this.status !== "live") this.reconnectNow();
    };
    window.addEventListener("online", this.onOnline);
  }

  url() {
    if (this.target) return this.target; // a cluster's owner of this game (absolute ws URL)
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    return `${proto}//${location.host}/ws/games/${encodeURIComponent(this.gameId)}`;
  }

  setStatus(status, detail = "") {
    this.status = status;
    this.hooks.onStatus?.(status, detail);
  }

  connect() {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.setStatus(this.attempt ? "reconnecting" : "connecting");
    let ws;
    try {
      ws = new WebSocket(this.url());
    } catch (e) {
      this.scheduleReconnect(`could not open a connection (${e.message})`);
      return;
    }
    this.ws = ws;
    ws.onopen = () => this.hello();
    ws.onmessage = (ev) => this.receive(ev.data);
    ws.onclose = (ev) => this.closed(ws, ev);
    ws.onerror = () => {
      /* onclose follows with the code */
    };
  }

  async hello() {
    try {
      const res = await this.request("hello", this.token ? { token: this.token } : {}, true);
      this.attempt = 0;
      this.setStatus("live");
      this.hooks.onHello?.(res);
      clearInterval(this.pinger);
      this.pinger = setInterval(() => this.heartbeat(), 20000);
    } catch (e) {
      if (e.code === "unauthorized") {
        this.stop();
        this.hooks.onFatal?.("unauthorized", `The server refused this seat's token: ${e.message}`);
      }
    }
  }

  async heartbeat() {
    if (this.status !== "live") return;
    try {
      await this.request("ping", {}, true, 10000);
    } catch (e) {
      if (e.code === "timeout") this.ws?.close(4999, "no reply to ping");
    }
  }

  receive(text) {
    let msg;
    try {
      msg = JSON.parse(text);
    } catch {
      this.hooks.onPush?.("client_error", { text: "The server sent a message this page cannot read." });
      return;
    }
    if (msg.type === "ack" || msg.type === "error") {
      const p = this.pending.get(msg.id);
      if (p) {
        this.pending.delete(msg.id);
        clearTimeout(p.timer);
        if (msg.type === "ack") p.resolve(msg.result || {});
        else p.reject(new ProtocolError(msg.code, msg.message, msg.field));
      } else if (msg.type === "error") {
        this.hooks.onPush?.("server_error", msg);
      }
      return;
    }
    this.hooks.onPush?.(msg.type, msg.data || {});
  }

  closed(ws, ev) {
    if (ws !== this.ws) return;
    clearInterval(this.pinger);
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new ProtocolError("disconnected", "The connection dropped before the server answered; it was probably not received."));
    }
    this.pending.clear();
    if (this.stopped) return;
    if (ev.code === 4409 && ev.reason.startsWith("ws") && this.attempt < 5) {
      // Another process of the cluster owns this game now and named it: go there at once.
      this.attempt += 1;
      this.target = ev.reason;
      this.connect();
      return;
    }
    if (FINAL_CODES[ev.code] && ev.code !== 1013) {
      this.stop();
      this.hooks.onFatal?.(String(ev.code), FINAL_CODES[ev.code]);
      return;
    }
    this.scheduleReconnect(ev.code === 1013 ? FINAL_CODES[1013] : "the connection dropped");
  }

  scheduleReconnect(why) {
    this.attempt += 1;
    const delay = Math.min(15000, 500 * 2 ** Math.min(this.attempt - 1, 5)) * (0.75 + Math.random() * 0.5);
    this.setStatus("reconnecting", `${why}; retrying in ${Math.ceil(delay / 1000)} s (attempt ${this.attempt})`);
    this.timer = setTimeout(() => this.locate().then(() => this.connect()), delay);
  }

  /** Re-ask REST where the game is served (a cluster moves games when a process dies). */
  async locate() {
    try {
      const res = await fetch(`/api/games/${encodeURIComponent(this.gameId)}`);
      const info = res.ok ? await res.json() : {};
      this.target = typeof info.ws_url === "string" && info.ws_url.startsWith("ws") ? info.ws_url : null;
    } catch {
      this.target = null;
    }
  }

  reconnectNow() {
    if (this.stopped) return;
    clearTimeout(this.timer);
    if (this.ws && this.ws.readyState <= 1) this.ws.close(4998, "reconnect");
    else this.connect();
  }

  /** Send a client message; resolves with the ack's result, rejects with a ProtocolError. */
  request(type, fields = {}, internal = false, timeoutMs = 20000) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN || (!internal && this.status !== "live")) {
      return Promise.reject(new ProtocolError("not_connected", "Not connected to the server: nothing was sent. The page is reconnecting; try again in a moment."));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ProtocolError("timeout", "The server did not answer in time."));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.ws.send(JSON.stringify({ v: 1, type, id, ...fields }));
    });
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.pinger);
    window.removeEventListener("online", this.onOnline);
    if (this.ws && this.ws.readyState <= 1) this.ws.close(1000, "bye");
    this.setStatus("closed");
  }
}
