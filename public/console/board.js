// The live sale board: per item, available units (pushed live or polled),
// holds per minute, refusals by code, expired / created, queue length when
// the sale has a waiting room, and a chart of available and holds/min.
import { enc, get } from "./api.js";
import { fill, fmt, h, problemText } from "./dom.js";
import { levelsChart } from "./chart.js";
import { watchLevels } from "./live.js";
import { endSale, rememberSale } from "./sales.js";

const STATS_MS = 2_000;
const RATE_WINDOW_MS = 60_000;
/** Chart points kept per item: 30 minutes of 2-second samples. */
const MAX_POINTS = 900;

export async function render(root, [saleId], features) {
  if (!saleId) {
    location.hash = "#sales";
    return;
  }
  const r = await get(`/v1/sales/${enc(saleId)}`);
  if (!r.ok) return void fill(root, h("p", {}, h("a", { href: "#sales" }, "← All sales")), h("p.banner", {}, problemText(r.problem)));
  rememberSale(saleId);
  let sale = r.body;
  const banner = h("p.banner", { role: "alert" });
  const status = h(`span.badge.${sale.status}`, {}, sale.status);
  const queue = h("p.queue", { hidden: true });
  const cards = sale.items.map((item) => itemCard(item));
  fill(
    root,
    h("p", {}, h("a", { href: "#sales" }, "← All sales")),
    h(
      "div.head",
      {},
      h("h1", {}, sale.name, " ", status),
      h(
        "div.actions",
        {},
        h("a.button.secondary", { href: `#sales/${enc(saleId)}/edit` }, "Edit"),
        h("a.button.secondary", { href: `#report/${enc(saleId)}` }, "Post-sale report"),
        features.endSale
          ? h("button.danger", { type: "button", onclick: () => endSale(saleId, banner, (s) => setSale(s)) }, "End now")
          : null,
      ),
    ),
    h("p.hint", {}, `${fmt.time(sale.startsAt)} → ${fmt.time(sale.endsAt)}`),
    banner,
    queue,
    h(
      "div.board",
      {},
      cards.map((c) => c.el),
    ),
  );

  const setSale = (s) => {
    sale = s;
    status.className = `badge ${s.status}`;
    status.textContent = s.status;
    // A waiting room's length is shown only when the sale carries it (spec §9); otherwise the line stays hidden.
    const waiting = typeof s.queue?.waiting === "number" ? s.queue.waiting : typeof s.queue?.length === "number" ? s.queue.length : null;
    queue.hidden = waiting === null;
    queue.textContent = waiting === null ? "" : `Waiting room (${s.queue.mode ?? "queue"}): ${waiting} in line`;
  };
  setSale(sale);

  // With the report route, the chart starts from the sale's history rather than from when the board opened.
  if (features.report) {
    const history = await get(`/v1/sales/${enc(saleId)}/report`);
    if (history.ok) for (const c of cards) c.seed(history.body.series.find((s) => s.sku === c.sku)?.points ?? []);
  }
  const stops = cards.map((c) => watchLevels(c.sku, (m) => c.levels(m)));
  const tick = async () => {
    const [fresh, ...stats] = await Promise.all([
      get(`/v1/sales/${enc(saleId)}`),
      ...cards.map((c) => get(`/v1/skus/${enc(c.sku)}/stats`)),
    ]);
    if (fresh.ok) setSale(fresh.body);
    stats.forEach((s, i) => {
      if (s.ok) cards[i].stats(s.body);
    });
  };
  tick();
  const timer = setInterval(tick, STATS_MS);
  return () => {
    clearInterval(timer);
    for (const stop of stops) stop();
  };
}

function itemCard(item) {
  const available = h("strong.big", { dataset: { available: item.sku } }, fmt.num(item.available));
  const itemStatus = h(`span.badge.${item.status ?? "none"}`, {}, item.status ?? "");
  const rate = h("dd", { dataset: { metric: "holdsPerMinute" } }, "—");
  const expired = h("dd", { dataset: { metric: "expiredCreated" } }, "—");
  const refusals = h("ul.refusals");
  const chartSlot = h("div.chart-slot");
  const samples = []; // { at, created } for the holds-per-minute window
  const points = []; // { at, available, holdsPerMinute } for the chart
  const last = { available: item.available ?? 0, rate: 0 };

  const el = h(
    "article.card.item-card",
    { dataset: { item: item.sku } },
    h("header", {}, h("h2", {}, h("a", { href: `#skus/${enc(item.sku)}` }, item.sku)), itemStatus),
    h("div.avail", {}, available, h("span", {}, " available")),
    h(
      "dl.metrics",
      {},
      h("div", {}, h("dt", {}, "Holds / min"), rate),
      h("div", {}, h("dt", {}, "Expired / created"), expired),
      h("div", {}, h("dt", {}, "Price"), h("dd", {}, fmt.money(item.price))),
      h("div", {}, h("dt", {}, "Limit"), h("dd", {}, `${item.perCustomerLimit} per customer`)),
    ),
    h("h3", {}, "Refusals"),
    refusals,
    chartSlot,
  );
  const plot = (at) => {
    points.push({ at, available: last.available, holdsPerMinute: last.rate });
    if (points.length > MAX_POINTS) points.shift();
    fill(chartSlot, levelsChart(points, { title: `${item.sku}: available units and holds per minute` }));
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
      last.available = m.available;
      available.textContent = m.available;
      itemStatus.textContent = m.status;
      itemStatus.className = `badge ${m.status}`;
      plot(Date.now());
    },
    stats(s) {
      const now = Date.now();
      samples.push({ at: now, created: s.holds.created });
      while (samples.length > 2 && now - samples[1].at >= RATE_WINDOW_MS) samples.shift();
      const first = samples[0];
      const span_ms = now - first.at;
      // Until a window has passed, the rate is over the time watched so far.
      last.rate = span_ms > 0 ? Math.round((((s.holds.created - first.created) * 60_000) / span_ms) * 10) / 10 : 0;
      rate.textContent = String(last.rate);
      expired.textContent = `${s.holds.expired} / ${s.holds.created}`;
      const codes = Object.entries(s.refusals).filter(([, n]) => n > 0);
      fill(
        refusals,
        codes.length ? codes.map(([code, n]) => h("li", { dataset: { code } }, h("code", {}, code), ` ${n}`)) : h("li.none", {}, "none"),
      );
      last.available = s.levels.available;
      available.textContent = s.levels.available;
      plot(now);
    },
  };
}
