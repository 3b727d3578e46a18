// The room view: a page for the projector (public information only, never the god view): a big
// clock, the quarter, the threshold distance, headlines, who has submitted, and the race chart.
import { h, mount } from "./dom.js";
import { api } from "./api.js";
import { GameSocket } from "./socket.js";
import { statusBar } from "./status.js";
import { History, publicOnlyCharts, quarterOf } from "./history.js";
import { outcomeSentence } from "./labels.js";

export async function roomView(main, id) {
  const info = await api.game(id);
  const status = statusBar();
  const hist = new History();
  const heads = h("ol", { class: "headlines", id: "headlines" });
  const chart = h("div", { class: "room-chart", id: "room-chart" });
  const outcome = h("p", { class: "room-outcome", id: "room-outcome", role: "status" });
  let state = info;
  let news = [];
  let q = quarterOf(info.turn, info.quarter);

  function drawNews() {
    const last = news.slice(-6).reverse();
    mount(heads, last.length ? last.map((n) => h("li", {}, h("span", { class: "news-when" }, q(n.turn)), " ", n.text)) : h("li", { class: "muted" }, "No news yet."));
  }
  function addNews(items) {
    const seen = new Set(news.map((n) => `${n.turn}|${n.text}`));
    for (const n of items || []) if (n.public !== false && !seen.has(`${n.turn}|${n.text}`)) news.push(n);
    news.sort((a, b) => a.turn - b.turn);
    drawNews();
  }
  function drawChart() {
    const charts = publicOnlyCharts(hist, state.world?.horizon ?? info.world?.horizon);
    mount(chart, charts.length ? charts[0] : h("p", { class: "muted" }, "The race chart appears after the first quarter."));
  }

  const socket = new GameSocket(id, null, {
    onStatus: (s, d) => status.setConn(s, d),
    onFatal: (_c, words) => status.setConn("closed", words),
    onPush: (type, d) => {
      if (type === "welcome") {
        addNews(d.history?.news || []);
        addNews((d.announcements || []).filter((a) => a.text).map((a) => ({ turn: a.turn, text: `Facilitator: ${a.text}` })));
        for (const snap of d.history?.series || []) if (!hist.has(snap.turn)) hist.put({ turn: snap.turn, quarter: snap.quarter, public: snap.public || snap.state || snap });
        drawChart();
      } else if (type === "game_state") {
        state = d;
        if (!d.done) q = quarterOf(d.turn, d.quarter);
        status.setState(d);
        hist.put({ turn: d.turn, quarter: d.quarter, public: d.world });
        addNews(d.world?.news || []);
        outcome.textContent = d.done && d.world?.outcome ? outcomeSentence(d.world.outcome, d.world) : "";
        drawChart();
      } else if (type === "turn_resolved") addNews(d.news);
      else if (type === "game_over") outcome.textContent = outcomeSentence(d.outcome, state.world);
      else if (type === "announcement" && d.text) addNews([{ turn: state.turn, text: `Facilitator: ${d.text}` }]);
    },
  });

  document.documentElement.classList.add("room-mode");
  mount(
    main,
    h("h1", { class: "visually-hidden" }, `Room view: game ${id}`),
    h("div", { class: "room" },
      h("div", { class: "room-status" }, status.el, outcome),
      h("section", { class: "panel room-news", "aria-labelledby": "room-news-title" }, h("h2", { id: "room-news-title" }, "Headlines"), heads),
      h("section", { class: "panel room-race", "aria-labelledby": "room-race-title" }, h("h2", { id: "room-race-title" }, "The race in public"), chart),
      h("section", { class: "panel room-seats", "aria-labelledby": "room-seats-title" }, h("h2", { id: "room-seats-title" }, "Who has submitted"), status.seats),
    ),
  );
  status.setState(info);
  hist.put({ turn: info.turn, quarter: info.quarter, public: info.world });
  addNews(info.world?.news || []);
  drawChart();
  socket.connect();
  return () => {
    document.documentElement.classList.remove("room-mode");
    socket.stop();
    status.stop();
  };
}
