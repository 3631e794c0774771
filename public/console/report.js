// The post-sale report, replayed from the audit log by the server: Σ sold ≤
// received per SKU, every customer within the limit (or the first who was
// not), the sale's available units and holds per minute over time, and who
// did each merchant action on the sale (spec §12).
import { enc, get } from "./api.js";
import { fill, fmt, h, labelCells, problemText, unavailable } from "./dom.js";
import { levelsChart } from "./chart.js";

export async function render(root, [saleId], features) {
  const back = h("p", {}, h("a", { href: saleId ? `#board/${enc(saleId)}` : "#sales" }, "← Sale board"));
  if (!features.report) return void fill(root, back, h("h1", {}, "Post-sale report"), unavailable("The post-sale report"));
  const r = await get(`/v1/sales/${enc(saleId)}/report`);
  if (!r.ok) return void fill(root, back, h("h1", {}, "Post-sale report"), h("p.banner", {}, problemText(r.problem)));
  const rep = r.body;
  const v = rep.customers.firstViolation;
  fill(
    root,
    back,
    h("h1", {}, `Post-sale report · ${rep.saleId}`),
    h(
      `p.verdict.${rep.ok ? "good" : "bad"}`,
      { dataset: { ok: String(rep.ok) } },
      rep.ok ? "Every check passed." : "A check failed: see below.",
    ),
    h("p.hint", {}, `Replayed from the audit log at ${fmt.time(rep.generatedAt)}.`),
    h("h2", {}, "Σ sold ≤ received, per SKU"),
    h(
      "div.scroll",
      {},
      h(
        "table.data",
        {},
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["SKU", "Received", "Sold", "Returned", "Check"].map((c) => h("th", {}, c)),
          ),
        ),
        h(
          "tbody",
          {},
          rep.skus.map((s) =>
            h(
              "tr",
              { dataset: { sku: s.sku } },
              h("td", {}, s.sku),
              h("td.num", {}, s.received),
              h("td.num", {}, s.sold),
              h("td.num", {}, s.returned),
              h(`td.${s.ok ? "good" : "bad"}`, {}, s.ok ? `${s.sold} ≤ ${s.received} ✓` : `${s.sold} > ${s.received} ✗`),
            ),
          ),
        ),
      ),
    ),
    h("h2", {}, "Per-customer limit"),
    h(
      `p.${v ? "bad" : "good"}`,
      { dataset: { customers: v ? "violation" : "ok" } },
      v
        ? `First counterexample: customer ${v.customerId} took ${v.units} of ${v.sku}, over the limit of ${v.limit}.`
        : `All ${rep.customers.checked} customers stayed within the per-customer limit.`,
    ),
    h("h2", {}, "Who acted on the sale"),
    actorsPart(rep),
    h("h2", {}, "Available units and holds per minute"),
    rep.series.map((s) =>
      h(
        "figure.card",
        {},
        h("figcaption", {}, s.sku),
        levelsChart(s.points, { title: `${s.sku}: available units and holds per minute over the sale` }),
      ),
    ),
  );
}

/** What each merchant action reads as; `units` signs a stock adjustment. */
const ACTION_LABELS = {
  "sale.created": () => "Created the sale",
  "sale.changed": () => "Changed the sale",
  "sale.ended": () => "Ended the sale",
  "stock.adjusted": (a) => (a.units >= 0 ? `Added ${a.units} units` : `Removed ${-a.units} units`),
  "order.refund_requested": () => "Refunded an order",
  "order.cancelled": () => "Cancelled an order",
  "order.fulfilled": () => "Fulfilled an order",
};
const who = (actor) => `${actor.keyId} (${actor.role})`;

/** The keys that acted, then each action in time order with its key: from the audit events' `actor`. */
function actorsPart(rep) {
  if (!rep.actions?.length) return h("p.hint", { dataset: { part: "actors" } }, "No merchant key acted on this sale.");
  const table = h(
    "table.data.stack",
    { dataset: { part: "actions" } },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ["At", "Action", "On", "Key"].map((c) => h("th", {}, c)),
      ),
    ),
    h(
      "tbody",
      {},
      rep.actions.map((a) =>
        h(
          "tr",
          {},
          h("td.when", {}, fmt.time(a.at)),
          h("td", {}, (ACTION_LABELS[a.action] ?? (() => a.action))(a)),
          a.sku || a.orderId ? h("td.mono", {}, a.sku ? [a.sku, a.reason ? ` (${a.reason})` : ""] : a.orderId) : h("td", {}, "the sale"),
          h("td.mono", {}, who(a.actor)),
        ),
      ),
    ),
  );
  labelCells(table);
  return [
    h(
      "ul.actors",
      { dataset: { part: "actors" } },
      rep.actors.map((k) => h("li", {}, h("code", {}, who(k)), ` · ${k.actions} action${k.actions === 1 ? "" : "s"}`)),
    ),
    rep.actionsComplete ? null : h("p.notice", {}, "The sale had more actions than one report lists: the first 1,000 are shown."),
    h("div.scroll", {}, table),
  ];
}
