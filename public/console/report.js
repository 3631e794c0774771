// The post-sale report, replayed from the audit log by the server: Σ sold ≤
// received per SKU, every customer within the limit (or the first who was
// not), and the sale's available units and holds per minute over time.
import { enc, get } from "./api.js";
import { fill, fmt, h, problemText, unavailable } from "./dom.js";
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
