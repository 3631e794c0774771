// The live sale board: per item, available units (pushed live or polled) and
// the server's figures about this sale alone (GET /v1/sales/{id}/board): holds
// in the last 60 s, expired / created and refusals since the sale started, the
// waiting room's line; and a chart of available units and holds in the last 60 s.
import { enc, get } from "./api.js";
import { fill, fmt, h, problemText, say, unavailable } from "./dom.js";
import { levelsChart } from "./chart.js";
import { watchLevels } from "./live.js";
import { endSale, endSaleButton, rememberSale, SALE_WRITES } from "./sales.js";

const STATS_MS = 2_000;
/** Chart points kept per item: 30 minutes of 2-second samples. */
const MAX_POINTS = 900;

export async function render(root, [saleId], features) {
  if (!saleId) {
    location.hash = "#sales";
    return;
  }
  const first = features.board ? await get(`/v1/sales/${enc(saleId)}/board`) : await get(`/v1/sales/${enc(saleId)}`);
  if (!first.ok)
    return void fill(root, h("p", {}, h("a", { href: "#sales" }, "← All sales")), h("p.banner", {}, problemText(first.problem)));
  rememberSale(saleId);
  const sale = features.board ? first.body.sale : first.body;
  const banner = h("p.banner", { role: "alert" });
  const status = h("span.badge");
  const when = h("p.hint");
  const actions = h("div.actions");
  const queue = h("p.queue", { hidden: true, dataset: { board: "queue" } });
  const cards = sale.items.map((item) => itemCard(item));
  const setSale = (s) => {
    status.className = `badge ${s.status}`;
    status.textContent = s.status;
    fill(
      when,
      h("span", { dataset: { startsAt: s.startsAt } }, fmt.time(s.startsAt)),
      " → ",
      h("span", { dataset: { endsAt: s.endsAt } }, fmt.time(s.endsAt)),
    );
    // Rebuilt only when the status changes, so a refresh never swallows an open "End now?" question.
    if (actions.dataset.status === s.status) return;
    actions.dataset.status = s.status;
    fill(
      actions,
      features.perms.may("PUT", "/v1/sales/{saleId}")
        ? h("a.button.secondary", { href: `#sales/${enc(saleId)}/edit`, dataset: { action: "edit-sale" } }, "Edit")
        : null,
      features.report ? h("a.button.secondary", { href: `#report/${enc(saleId)}` }, "Post-sale report") : null,
      features.perms.reason("sale-writes", "Editing and ending a sale", SALE_WRITES),
      features.endSale && s.status !== "ended"
        ? endSaleButton(saleId, () =>
            endSale(saleId, banner, (ended) => {
              setSale(ended);
              tick();
            }),
          )
        : null,
    );
  };
  const setQueue = (q) => {
    queue.hidden = !q;
    queue.textContent = q
      ? `Waiting room (${q.mode}): ${q.waiting} waiting, ${q.admitted} admitted${q.closed ? `; closed (${q.closed.replace("_", " ")})` : ""}.`
      : "";
  };
  setSale(sale);
  fill(
    root,
    h("p", {}, h("a", { href: "#sales" }, "← All sales")),
    h("div.head", {}, h("h1", {}, sale.name, " ", status), actions),
    when,
    banner,
    queue,
    features.board
      ? h(
          "p.hint.board-legend",
          {},
          "Figures for this sale only, on the server's clock. Holds in the last 60 s: this sale's holds created in the last ",
          "60 seconds, counted. Expired / created: this sale's holds since the sale started, and how many of them expired. ",
          "Refusals: hold requests the SKU refused this sale's shoppers since the sale started, by code (answers the edge ",
          "gave from its cache, such as sold out, and the merchant's own refused changes are not counted).",
        )
      : unavailable("This sale's holds and refusals"),
    h(
      "div.board",
      {},
      cards.map((c) => c.el),
    ),
  );

  // With the report route, the chart starts from the sale's history rather than from when the board opened.
  if (features.report) {
    const history = await get(`/v1/sales/${enc(saleId)}/report`);
    if (history.ok) for (const c of cards) c.seed(history.body.series.find((s) => s.sku === c.sku)?.points ?? []);
  }
  const stops = cards.map((c) => watchLevels(c.sku, (m) => c.levels(m)));
  const show = (board) => {
    setSale(board.sale);
    setQueue(board.queue);
    for (const figures of board.items) cards.find((c) => c.sku === figures.sku)?.figures(figures, Date.parse(board.at));
  };
  const tick = async () => {
    if (!features.board) return;
    const r = await get(`/v1/sales/${enc(saleId)}/board`);
    if (r.ok) show(r.body);
    else say(banner, problemText(r.problem));
  };
  if (features.board) show(first.body);
  const timer = setInterval(tick, STATS_MS);
  return () => {
    clearInterval(timer);
    for (const stop of stops) stop();
  };
}

function itemCard(item) {
  const available = h("strong.big", { dataset: { available: item.sku } }, fmt.num(item.available));
  const itemStatus = h(`span.badge.${item.status ?? "none"}`, {}, item.status ?? "");
  const recent = h("dd", { dataset: { metric: "holdsRecent" } }, "—");
  const expired = h("dd", { dataset: { metric: "expiredCreated" } }, "—");
  const refusals = h("ul.refusals");
  const chartSlot = h("div.chart-slot");
  const points = []; // { at, available, holdsPerMinute } for the chart
  const last = { available: item.available ?? 0, recent: 0 };

  const el = h(
    "article.card.item-card",
    { dataset: { item: item.sku } },
    h("header", {}, h("h2", {}, h("a", { href: `#skus/${enc(item.sku)}` }, item.sku)), itemStatus),
    h("div.avail", {}, available, h("span", {}, " available")),
    h(
      "dl.metrics",
      {},
      h("div", {}, h("dt", {}, "Holds in the last 60 s"), recent),
      h("div", {}, h("dt", {}, "Expired / created"), expired),
      h("div", {}, h("dt", {}, "Price"), h("dd", {}, fmt.money(item.price))),
      h("div", {}, h("dt", {}, "Limit"), h("dd", {}, `${item.perCustomerLimit} per customer`)),
    ),
    h("h3", {}, "Refusals since the sale started"),
    refusals,
    chartSlot,
  );
  const plot = (at) => {
    points.push({ at, available: last.available, holdsPerMinute: last.recent });
    if (points.length > MAX_POINTS) points.shift();
    fill(chartSlot, levelsChart(points, { title: `${item.sku}: available units and holds in the last 60 s` }));
  };
  const setAvailable = (n, s) => {
    last.available = n;
    available.textContent = fmt.num(n);
    if (s) {
      itemStatus.textContent = s;
      itemStatus.className = `badge ${s}`;
    }
  };
  return {
    el,
    sku: item.sku,
    seed(history) {
      points.push(
        ...history.slice(-MAX_POINTS).map((p) => ({ at: Date.parse(p.at), available: p.available, holdsPerMinute: p.holdsPerMinute })),
      );
    },
    levels(m) {
      el.dataset.via = m.via;
      if (m.available === last.available && itemStatus.textContent === m.status) return;
      setAvailable(m.available, m.status);
      plot(Date.now());
    },
    figures(f, at) {
      last.recent = f.holdsRecent;
      recent.textContent = String(f.holdsRecent);
      expired.textContent = `${f.holdsExpired} / ${f.holdsCreated}`;
      const codes = Object.entries(f.refusals).filter(([, n]) => n > 0);
      fill(
        refusals,
        codes.length ? codes.map(([code, n]) => h("li", { dataset: { code } }, h("code", {}, code), ` ${n}`)) : h("li.none", {}, "none"),
      );
      if (f.available !== null) setAvailable(f.available, f.status);
      plot(at);
    },
  };
}
