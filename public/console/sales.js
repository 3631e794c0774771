// Sales: the list (by status), create and edit with the server's field
// errors shown inline, and ending a sale now.
import { enc, get, post, put, qs } from "./api.js";
import { confirmInline, field, fill, fmt, h, labelCells, problemText, say, showErrors, unavailable } from "./dom.js";

/** Without GET /v1/sales the console remembers the sales this tab created or opened. */
const RECENT_KEY = "holdfast.recentSales";
const recent = {
  list: () => JSON.parse(sessionStorage.getItem(RECENT_KEY) ?? "[]"),
  add: (id) => sessionStorage.setItem(RECENT_KEY, JSON.stringify([id, ...recent.list().filter((x) => x !== id)].slice(0, 20))),
};

/** What the sale controls call: a key whose role may not gets their reason instead. */
export const SALE_WRITES = [
  ["PUT", "/v1/sales/{saleId}"],
  ["POST", "/v1/sales/{saleId}/end"],
];
const PUT_SALE = [SALE_WRITES[0]];

export async function render(root, [saleId, mode], features) {
  const back = h("p", {}, h("a", { href: "#sales" }, "← All sales"));
  const write = features.perms.may("PUT", "/v1/sales/{saleId}");
  if ((saleId === "new" || mode === "edit") && !write)
    return fill(root, back, features.perms.reason("put-sale", "Creating or editing a sale", PUT_SALE));
  if (saleId === "new") return fill(root, back, saleForm(null));
  if (saleId && mode === "edit") {
    const r = await get(`/v1/sales/${enc(saleId)}`);
    return fill(root, back, r.ok ? saleForm(r.body) : h("p.banner", {}, problemText(r.problem)));
  }
  return list(root, features);
}

function list(root, features) {
  const write = features.perms.may("PUT", "/v1/sales/{saleId}");
  const banner = h("p.banner", { role: "alert" });
  const body = h("tbody");
  const more = h("button.secondary", { type: "button", hidden: true }, "More");
  const status = field("Status", "status", { tag: "select", options: ["", "live", "upcoming", "ended"] });
  let cursor = null;
  const row = (s) =>
    h(
      "tr",
      { dataset: { sale: s.saleId } },
      h("td", {}, h("a", { href: `#board/${enc(s.saleId)}` }, s.saleId)),
      h("td", {}, s.name),
      h("td", {}, h(`span.badge.${s.status}`, {}, s.status)),
      h("td", {}, fmt.time(s.startsAt)),
      h("td", {}, fmt.time(s.endsAt)),
      h("td.num", {}, s.items.length),
      h(
        "td.actions",
        {},
        h(
          "div.act",
          {},
          h("a.button.small", { href: `#board/${enc(s.saleId)}` }, "Board"),
          write ? h("a.button.small.secondary", { href: `#sales/${enc(s.saleId)}/edit`, dataset: { action: "edit-sale" } }, "Edit") : null,
          features.report ? h("a.button.small.secondary", { href: `#report/${enc(s.saleId)}` }, "Report") : null,
          features.endSale && s.status !== "ended"
            ? endSaleButton(s.saleId, () => endSale(s.saleId, banner, () => load(true)), "small.danger")
            : null,
        ),
      ),
    );
  const load = async (reset) => {
    if (!features.listSales) {
      // One GET per remembered sale, at most the 20 kept.
      const rows = [];
      for (const id of recent.list()) {
        const r = await get(`/v1/sales/${enc(id)}`);
        if (r.ok) rows.push(r.body);
      }
      fill(body, rows.map(row));
      return labelCells(table);
    }
    const r = await get(`/v1/sales${qs({ status: status.querySelector("select").value, limit: 50, cursor: reset ? null : cursor })}`);
    if (!r.ok) {
      banner.textContent = problemText(r.problem);
      return;
    }
    banner.textContent = "";
    if (reset) body.replaceChildren();
    body.append(...r.body.data.map(row));
    labelCells(table);
    cursor = r.body.nextCursor;
    more.hidden = !cursor;
  };
  status.querySelector("select").addEventListener("change", () => load(true));
  more.addEventListener("click", () => load(false));
  const open = h(
    "form.inline",
    {
      method: "post",
      action: "#",
      onsubmit: (ev) => {
        ev.preventDefault();
        const id = ev.target.elements.saleId.value.trim();
        if (id) location.hash = `#board/${enc(id)}`;
      },
    },
    field("Open a sale by id", "saleId", { required: true }),
    h("button.secondary", { type: "submit" }, "Open"),
  );
  const table = h(
    "table.data.stack",
    {},
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ["Sale", "Name", "Status", "Starts", "Ends", "Items", ""].map((c) => h("th", {}, c)),
      ),
    ),
    body,
  );
  fill(
    root,
    h(
      "div.head",
      {},
      h("h1", {}, "Sales"),
      write ? h("a.button", { href: "#sales/new", dataset: { action: "new-sale" } }, "New sale") : null,
    ),
    features.perms.reason("sale-writes", "Creating, editing and ending sales", SALE_WRITES),
    features.listSales
      ? status
      : h(
          "div",
          {},
          // The key's role may not list them, or this server cannot.
          features.perms.reason("list-sales", "Listing every sale", [["GET", "/v1/sales"]]) ?? unavailable("Listing every sale"),
          h("p.hint", {}, "Showing the sales opened in this tab."),
          open,
        ),
    banner,
    h("div.scroll", {}, table),
    more,
  );
  load(true);
}

/** "End now", which asks first: ending a live sale cannot be undone. */
export function endSaleButton(saleId, onConfirm, cls = "danger") {
  return confirmInline({
    label: "End now",
    question: `End ${saleId} now? Shoppers can no longer hold its items.`,
    confirmLabel: "End the sale",
    action: "end-sale",
    onConfirm,
    cls,
  });
}

export async function endSale(saleId, banner, done) {
  const r = await post(`/v1/sales/${enc(saleId)}/end`, {});
  if (r.ok) say(banner, `Sale ${saleId} ended at ${fmt.time(r.body.endsAt)}.`, "success");
  else say(banner, problemText(r.problem));
  if (r.ok) done?.(r.body);
}

export function rememberSale(id) {
  recent.add(id);
}

const optionalInt = (v) => (v === "" ? undefined : Number(v));
/** Every optional item setting has a field: a PUT replaces the sale, so one left out would be dropped. */
const OPTIONAL_ITEM_FIELDS = ["maxPerOrder", "holdSeconds", "paymentSeconds", "holdsPerMinute", "priority"];
/** A waiting room's settings (spec §9), kept as they are when the console edits the rest of a sale. */
const QUEUE_INPUT = ["mode", "prequeueSeconds", "admitSeconds"];

function itemRow(form, item) {
  const n = form.querySelectorAll(".item").length;
  const p = (k) => `items.${n}.${k}`;
  const row = h(
    "fieldset.item",
    { dataset: { index: n } },
    h("legend", {}, `Item ${n + 1}`),
    h(
      "div.row",
      field("SKU", p("sku"), { required: true, value: item?.sku ?? "" }),
      field("Price (minor units)", p("price.amount"), { type: "number", min: 0, value: item?.price.amount ?? "" }),
      field("Currency", p("price.currency"), { maxLength: 3, value: item?.price.currency ?? "usd" }),
    ),
    h(
      "div.row",
      field("Per-customer limit", p("perCustomerLimit"), { type: "number", min: 1, value: item?.perCustomerLimit ?? "" }),
      field("Max per order", p("maxPerOrder"), { type: "number", min: 1, value: item?.maxPerOrder ?? "" }),
      field("Hold seconds", p("holdSeconds"), { type: "number", min: 1, value: item?.holdSeconds ?? "" }),
    ),
    h(
      "div.row",
      field("Payment seconds", p("paymentSeconds"), { type: "number", min: 60, value: item?.paymentSeconds ?? "" }),
      field("Holds per minute", p("holdsPerMinute"), { type: "number", min: 1, value: item?.holdsPerMinute ?? "" }),
      field("Priority", p("priority"), {
        type: "number",
        value: item?.priority ?? "",
        title: "Only for a SKU in two overlapping sales: the higher wins",
      }),
    ),
  );
  form.querySelector(".items").append(row);
}

function readItems(form) {
  return [...form.querySelectorAll(".item")].map((_, i) => {
    const v = (k) => form.elements[`items.${i}.${k}`].value;
    const item = {
      sku: v("sku").trim(),
      price: { amount: optionalInt(v("price.amount")), currency: v("price.currency") },
      perCustomerLimit: optionalInt(v("perCustomerLimit")),
    };
    for (const k of OPTIONAL_ITEM_FIELDS) if (v(k) !== "") item[k] = Number(v(k));
    return item;
  });
}

/** Create (sale null) or replace a sale. Every rule is the server's: its errors land beside their fields. */
function saleForm(sale) {
  // A new sale starts on the second, as the form shows it.
  const now = Math.floor(Date.now() / 1000) * 1000;
  const form = h(
    "form.card.form",
    { method: "post", action: "#", dataset: { form: "sale" }, novalidate: true },
    h("h1", {}, sale ? `Edit ${sale.saleId}` : "New sale"),
    h(
      "div.row",
      field("Sale id", "saleId", { required: true, value: sale?.saleId ?? "", readOnly: Boolean(sale) }),
      field("Name", "name", { required: true, value: sale?.name ?? "" }),
    ),
    h(
      "div.row",
      field("Starts", "startsAt", { type: "datetime-local", step: 1, value: fmt.localInput(sale?.startsAt ?? now) }),
      field("Ends", "endsAt", { type: "datetime-local", step: 1, value: fmt.localInput(sale?.endsAt ?? now + 3_600_000) }),
    ),
    h("div.items"),
    h("button.secondary", { type: "button", onclick: () => itemRow(form) }, "Add item"),
    h("p.form-banner", { role: "alert" }),
    h("button", { type: "submit" }, sale ? "Save sale" : "Create sale"),
  );
  for (const item of sale?.items ?? [null]) itemRow(form, item);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const e = form.elements;
    const saleId = e.saleId.value.trim();
    // A time the merchant did not touch is sent exactly as it was, to the millisecond.
    const iso = (name) => {
      const v = e[name].value;
      if (sale && v === fmt.localInput(sale[name])) return sale[name];
      return v ? new Date(v).toISOString() : "";
    };
    const body = { name: e.name.value, startsAt: iso("startsAt"), endsAt: iso("endsAt"), items: readItems(form) };
    if (sale?.queue)
      body.queue = Object.fromEntries(
        QUEUE_INPUT.filter((k) => sale.queue[k] !== undefined && sale.queue[k] !== null).map((k) => [k, sale.queue[k]]),
      );
    if (!saleId) return showErrors(form, { title: "Invalid request", errors: [{ in: "json", path: "saleId", message: "required" }] });
    // Saving what is already saved would only bump the revision and re-push the terms to every SKU.
    if (sale && unchanged(sale, body)) {
      showErrors(form, null);
      return say(form.querySelector(".form-banner"), "No changes to save.", "success");
    }
    const r = await put(`/v1/sales/${enc(saleId)}`, body);
    // A bad id is a path parameter: show it on the id field.
    showErrors(form, r.problem, (path) => path);
    if (r.problem) for (const err of r.problem.errors ?? []) if (err.in === "param") markSaleId(form, err.message);
    if (r.ok) {
      recent.add(saleId);
      location.hash = `#board/${enc(saleId)}`;
    }
  });
  return form;
}

/** Whether a sale's edit form says what the sale already is (the fields the form edits). */
function unchanged(sale, body) {
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  if (body.name !== sale.name || body.startsAt !== sale.startsAt || body.endsAt !== sale.endsAt) return false;
  if (body.items.length !== sale.items.length) return false;
  return body.items.every((item, i) => {
    const was = sale.items[i];
    const asWas = { sku: was.sku, price: was.price, perCustomerLimit: was.perCustomerLimit };
    for (const k of OPTIONAL_ITEM_FIELDS) if (was[k] !== null && was[k] !== undefined) asWas[k] = was[k];
    return same(item, asWas);
  });
}

function markSaleId(form, message) {
  const box = form.querySelector('.field[data-path="saleId"]');
  box.classList.add("invalid");
  box.querySelector(".error").textContent = message;
}
