// Tokens kept per game: sessionStorage (this tab, survives reloads) backed by localStorage
// (survives closing the tab). Keyed "precipice:game:<id>".

const key = (id) => `precipice:game:${id}`;

function read(storage, id) {
  try {
    return JSON.parse(storage.getItem(key(id)) || "null");
  } catch {
    return null;
  }
}

/** What this browser holds for a game: {seat_token, role, facilitator_token, player}. */
export function loadTokens(id) {
  return { ...(read(localStorage, id) || {}), ...(read(sessionStorage, id) || {}) };
}

/** Merge fields into this game's record (both storages). */
export function saveTokens(id, fields) {
  for (const storage of [sessionStorage, localStorage]) {
    const cur = read(storage, id) || {};
    try {
      storage.setItem(key(id), JSON.stringify({ ...cur, ...fields }));
    } catch {
      /* storage full or disabled: the token lives only in memory */
    }
  }
}

/** Forget the seat (released or revoked) but keep a facilitator token. */
export function dropSeat(id) {
  for (const storage of [sessionStorage, localStorage]) {
    const cur = read(storage, id);
    if (!cur) continue;
    delete cur.seat_token;
    delete cur.role;
    storage.setItem(key(id), JSON.stringify(cur));
  }
}

export function playerName() {
  return localStorage.getItem("precipice:player") || "";
}
export function setPlayerName(name) {
  localStorage.setItem("precipice:player", name);
}
