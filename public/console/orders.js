// Orders: filtered by status and SKU, with the merchant's actions (fulfil,
// cancel, refund with or without restock) confirmed inline.
import { enc, get, post, qs } from "./api.js";
import { field, fill, fmt, h, labelCells, problemText } from "./dom.js";

const STATUSES = ["", "pending_payment", "paid", "fulfilled", "payment_failed", "expired", "cancelled", "refunded"];

export async function render(root) {
  const banner = h("p.banner", { role: "alert" });
  const body = h("tbody");
  const more = h("button.secondary", { type: "button", hidden: true }, "More");
  const filters = h(
    "form.inline.filters",
    { method: "post", action: "#" },
    field("Status", "status", { tag: "select", options: STATUSES }),
    field("SKU", "sku", { placeholder: "any" }),
    h("button.secondary", { type: "submit" }, "Filter"),
  );
  let cursor = null;
  let latest = 0;
  const load = async (reset) => {
    const e = filters.elements;
    const query = qs({ status: e.status.value, sku: e.sku.value.trim(), limit: 50 });
    const asked = ++latest;
    const r = await get(`/v1/orders${query}${reset || !cursor ? "" : `&cursor=${encodeURIComponent(cursor)}`}`);
    // A slower answer to an earlier filter must not replace a newer one.
    if (asked !== latest) return;
    if (!r.ok) {
      banner.textContent = problemText(r.problem);
      return;
    }
    body.dataset.query = query;
    if (reset) body.replaceChildren();
    body.append(...r.body.data.map((o) => row(o, banner, () => load(true))));
    if (reset && !r.body.data.length) body.append(h("tr", {}, h("td", { colSpan: 6 }, "No orders match.")));
    labelCells(table);
    cursor = r.body.nextCursor;
    more.hidden = !cursor;
  };
  filters.addEventListener("submit", (ev) => {
    ev.preventDefault();
    load(true);
  });
  filters.elements.status.addEventListener("change", () => load(true));
  more.addEventListener("click", () => load(false));
  const table = h(
    "table.data.stack",
    {},
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ["Order", "Customer", "Status", "Items", "Total", ""].map((c) => h("th", {}, c)),
      ),
    ),
    body,
  );
  fill(root, h("h1", {}, "Orders"), filters, banner, h("div.scroll", {}, table), more);
  load(true);
}

function row(o, banner, reload) {
  const act = (label, path, body, cls = "small") =>
    h(
      `button.${cls}`,
      {
        type: "button",
        dataset: { action: label.toLowerCase() },
        onclick: async () => {
          const r = await post(`/v1/orders/${enc(o.orderId)}/${path}`, body);
          banner.textContent = r.ok
            ? `${o.orderId}: ${r.body.status}${r.body.refund?.restocked ? " (restocked)" : ""}`
            : problemText(r.problem);
          reload();
        },
      },
      label,
    );
  const confirm = h("span.confirm", { hidden: true });
  const refund = () => {
    const restock = h("input", { type: "checkbox", name: "restock", checked: true });
    fill(
      confirm,
      h("label.check", {}, restock, " restock"),
      h(
        "button.small.danger",
        {
          type: "button",
          dataset: { action: "confirm-refund" },
          onclick: async () => {
            const r = await post(`/v1/orders/${enc(o.orderId)}/refund`, { restock: restock.checked });
            banner.textContent = r.ok
              ? `${o.orderId}: ${r.body.status}${r.body.refund?.restocked ? " (restocked)" : ""}`
              : problemText(r.problem);
            reload();
          },
        },
        "Confirm refund",
      ),
    );
    confirm.hidden = false;
  };
  const actions = [];
  if (o.status === "paid") actions.push(act("Fulfil", "fulfill", {}));
  if (o.status === "paid" || o.status === "fulfilled")
    actions.push(h("button.small.secondary", { type: "button", dataset: { action: "refund" }, onclick: refund }, "Refund…"));
  if (["pending_payment", "payment_failed", "paid"].includes(o.status)) actions.push(act("Cancel", "cancel", {}, "small.secondary"));
  return h(
    "tr",
    { dataset: { order: o.orderId, status: o.status } },
    h("td.mono", {}, o.orderId),
    h("td", {}, o.customerId),
    h(
      "td",
      {},
      h(`span.badge.${o.status}`, {}, o.status),
      o.refund ? h("small", {}, ` refund ${o.refund.status}${o.refund.restocked ? ", restocked" : ""}`) : null,
    ),
    h("td", {}, o.items.map((i) => `${i.quantity} × ${i.sku}`).join(", ")),
    h("td.num", {}, fmt.money({ amount: o.total, currency: o.currency })),
    h("td.actions", {}, h("div.act", {}, actions, confirm)),
  );
}
