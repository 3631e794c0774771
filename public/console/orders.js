// Orders: filtered by status and SKU, each with its date and a detail view
// (#orders/<orderId>), and the merchant's actions (fulfil, cancel, refund
// with or without restock) confirmed inline.
import { enc, get, post, qs } from "./api.js";
import { field, fill, fmt, h, labelCells, problemText, say } from "./dom.js";

const STATUSES = ["", "pending_payment", "paid", "fulfilled", "payment_failed", "expired", "cancelled", "refunded"];
const COLUMNS = ["Order", "Placed", "Customer", "Status", "Items", "Total", ""];

const FULFIL = [["POST", "/v1/orders/{orderId}/fulfill"]];
const MONEY_BACK = [
  ["POST", "/v1/orders/{orderId}/refund"],
  ["POST", "/v1/orders/{orderId}/cancel"],
];

export async function render(root, [orderId], { perms }) {
  return orderId ? detail(root, orderId, perms) : list(root, perms);
}

/** Why an order's actions the key may not take are left out, shown once where they would be. */
function reasons(perms) {
  return [
    perms.reason("order-fulfil", "Fulfilling orders", FULFIL),
    perms.reason("order-refund", "Refunding and cancelling orders", MONEY_BACK),
  ];
}

function list(root, perms) {
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
    body.append(...r.body.data.map((o) => row(o, perms, banner, () => load(true))));
    if (reset && !r.body.data.length) body.append(h("tr", {}, h("td", { colSpan: COLUMNS.length }, "No orders match.")));
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
        COLUMNS.map((c) => h("th", {}, c)),
      ),
    ),
    body,
  );
  fill(root, h("h1", {}, "Orders"), h("div.reasons", {}, reasons(perms)), filters, banner, h("div.scroll", {}, table), more);
  load(true);
}

/** The merchant's actions on an order in its state, confirmed inline where money moves back. */
function orderActions(o, perms, banner, reload) {
  const done = (r) => {
    if (r.ok) say(banner, `${o.orderId}: ${r.body.status}${r.body.refund?.restocked ? " (restocked)" : ""}`, "success");
    else say(banner, problemText(r.problem));
    reload();
  };
  const act = (label, path, body, cls = "small") =>
    h(
      `button.${cls}`,
      {
        type: "button",
        dataset: { action: label.toLowerCase() },
        onclick: async () => done(await post(`/v1/orders/${enc(o.orderId)}/${path}`, body)),
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
          onclick: async () => done(await post(`/v1/orders/${enc(o.orderId)}/refund`, { restock: restock.checked })),
        },
        "Confirm refund",
      ),
    );
    confirm.hidden = false;
  };
  const actions = [];
  const may = (ops) => ops.every(([m, p]) => perms.may(m, p));
  if (o.status === "paid" && may(FULFIL)) actions.push(act("Fulfil", "fulfill", {}));
  if (may(MONEY_BACK)) {
    if (o.status === "paid" || o.status === "fulfilled")
      actions.push(h("button.small.secondary", { type: "button", dataset: { action: "refund" }, onclick: refund }, "Refund…"));
    if (["pending_payment", "payment_failed", "paid"].includes(o.status)) actions.push(act("Cancel", "cancel", {}, "small.secondary"));
  }
  return h("div.act", {}, actions, confirm);
}

function statusCell(o) {
  return [
    h(`span.badge.${o.status}`, {}, o.status),
    o.refund ? h("small", {}, ` refund ${o.refund.status}${o.refund.restocked ? ", restocked" : ""}`) : null,
  ];
}

function row(o, perms, banner, reload) {
  return h(
    "tr",
    { dataset: { order: o.orderId, status: o.status } },
    h("td.mono", {}, h("a", { href: `#orders/${enc(o.orderId)}` }, o.orderId)),
    h("td.when", {}, fmt.time(o.createdAt)),
    h("td", {}, o.customerId),
    h("td", {}, statusCell(o)),
    h("td", {}, o.items.map((i) => `${i.quantity} × ${i.sku}`).join(", ")),
    h("td.num", {}, fmt.money({ amount: o.total, currency: o.currency })),
    h("td.actions", {}, orderActions(o, perms, banner, reload)),
  );
}

/** One order: its items at their prices, payment, refund, times, actions and its audit stream. */
async function detail(root, orderId, perms) {
  const banner = h("p.banner", { role: "alert" });
  const slot = h("div");
  const back = h("p", {}, h("a", { href: "#orders" }, "← All orders"));
  const show = async () => {
    const r = await get(`/v1/orders/${enc(orderId)}`);
    if (!r.ok) return void say(banner, problemText(r.problem));
    const o = r.body;
    const money = (amount) => fmt.money({ amount, currency: o.currency });
    const facts = [
      ["Status", statusCell(o)],
      ["Customer", o.customerId],
      ["Placed", fmt.time(o.createdAt)],
      ["Last change", fmt.time(o.updatedAt)],
      ["Pay by", fmt.time(o.expiresAt)],
      ["Total", money(o.total)],
      [
        "Payment",
        `${o.payment.provider}, attempt ${o.payment.attempt}${o.payment.status ? `: ${o.payment.status}` : ""}${o.payment.failureReason ? ` (${o.payment.failureReason})` : ""}`,
      ],
      ["Refunded", o.refundedAmount > 0 ? money(o.refundedAmount) : "—"],
      ["Dispute", o.disputeStatus ?? "—"],
    ];
    fill(
      slot,
      h(
        "article.card",
        { dataset: { orderDetail: o.orderId, status: o.status } },
        h("h1", {}, "Order ", h("code", {}, o.orderId)),
        h(
          "dl.facts-list",
          {},
          facts.map(([k, v]) => h("div", {}, h("dt", {}, k), h("dd", {}, v))),
        ),
        h("h2", {}, "Items"),
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
                ["SKU", "Qty", "Unit price", "Hold"].map((c) => h("th", {}, c)),
              ),
            ),
            h(
              "tbody",
              {},
              o.items.map((i) =>
                h(
                  "tr",
                  {},
                  h("td", {}, h("a", { href: `#skus/${enc(i.sku)}` }, i.sku)),
                  h("td.num", {}, i.quantity),
                  h("td.num", {}, money(i.unitAmount)),
                  h("td.mono", {}, i.holdId),
                ),
              ),
            ),
          ),
        ),
        h("p", {}, orderActions(o, perms, banner, show)),
        reasons(perms),
        h("p", {}, h("a", { href: `#audit/order:${enc(o.orderId)}` }, "Its audit stream")),
      ),
    );
  };
  fill(root, back, banner, slot);
  await show();
}
