// SKUs: the inventory with its levels (refreshed while the panel is open),
// create and edit, restock and adjust, and a SKU's holds (sku-holds.js).
import { enc, get, post, put, qs } from "./api.js";
import { field, fill, fmt, h, labelCells, problemText, showErrors } from "./dom.js";
import { watchLevels } from "./live.js";
import { holdsPanel } from "./sku-holds.js";
import { locationField, skuLocationsPanel } from "./sku-locations.js";

const REFRESH_MS = 3_000;
/** Price and status come from each SKU's own view (the inventory list has neither): read again after this long. */
const DETAIL_MS = 30_000;
const LIST_COLUMNS = ["SKU", "Name", "Price", "Status", "On hand", "Reserved", "Available", "Sold", "Returned"];
const REASONS = ["restock", "received", "correction", "shrinkage", "damaged", "other"];

export async function render(root, [sku], features) {
  return sku ? detail(root, sku, features) : list(root, features);
}

const PUT_SKU = [["PUT", "/v1/skus/{sku}"]];
const ADJUST = [["POST", "/v1/skus/{sku}/adjustments"]];

function list(root, { perms }) {
  const table = h(
    "table.data.stack",
    {},
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        LIST_COLUMNS.map((c) => h("th", {}, c)),
      ),
    ),
    h("tbody"),
  );
  const banner = h("p.banner", { role: "alert" });
  const more = h("button.secondary", { type: "button", hidden: true }, "More");
  /** sku -> { price, status, at }: each SKU's own view, read at most every DETAIL_MS. */
  const details = new Map();
  let cursor = null;
  let pages = 1;
  const detailOf = async (sku) => {
    const known = details.get(sku);
    if (known && Date.now() - known.at < DETAIL_MS) return known;
    const r = await get(`/v1/skus/${enc(sku)}`);
    const d = r.ok ? { price: r.body.currentPrice ?? r.body.price, status: r.body.status, at: Date.now() } : (known ?? null);
    if (d) details.set(sku, d);
    return d;
  };
  const load = async () => {
    // Refresh every page shown so far; the list is small and ordered by SKU.
    const rows = [];
    let next = null;
    for (let i = 0; i < pages; i++) {
      const r = await get(`/v1/skus${qs({ limit: 50, cursor: next })}`);
      if (!r.ok) {
        banner.textContent = problemText(r.problem);
        return;
      }
      rows.push(...r.body.data);
      next = r.body.nextCursor;
      if (!next) break;
    }
    const extra = await Promise.all(rows.map((s) => detailOf(s.sku)));
    banner.textContent = "";
    cursor = next;
    more.hidden = !cursor;
    fill(
      table.tBodies[0],
      rows.length
        ? rows.map((s, i) =>
            h(
              "tr",
              { dataset: { sku: s.sku } },
              h("td", {}, h("a", { href: `#skus/${enc(s.sku)}` }, s.sku)),
              h("td", {}, s.name),
              h("td.num", {}, extra[i] ? fmt.money(extra[i].price) : "—"),
              h("td", {}, extra[i] ? h(`span.badge.${extra[i].status}`, {}, extra[i].status) : "—"),
              [s.onHand, s.reserved, s.available, s.sold, s.returned].map((n, j) => h(j === 2 ? "td.num.strong" : "td.num", {}, n)),
            ),
          )
        : h("tr", {}, h("td", { colSpan: LIST_COLUMNS.length }, "No SKUs yet: create one below.")),
    );
    labelCells(table);
  };
  more.addEventListener("click", () => {
    pages++;
    load();
  });
  fill(
    root,
    h("h1", {}, "SKUs"),
    h(
      "p.hint",
      {},
      "Levels from the inventory view, refreshed every few seconds; price (what a hold taken now costs) and status from " +
        "each SKU, every 30 s. Open a SKU for its exact live levels.",
    ),
    banner,
    h("div.scroll", {}, table),
    more,
    perms.control("create-sku", "Creating a SKU", PUT_SKU, () => skuForm(null, (s) => (location.hash = `#skus/${enc(s.sku)}`))),
  );
  load();
  const timer = setInterval(load, REFRESH_MS);
  return () => clearInterval(timer);
}

/** Create (sku null) or edit form. */
function skuForm(current, done) {
  const form = h(
    "form.card.form",
    { method: "post", action: "#", dataset: { form: current ? "edit-sku" : "create-sku" } },
    h("h2", {}, current ? "Edit SKU" : "New SKU"),
    current
      ? null
      : field("SKU id", "sku", { required: true, placeholder: "tee-black-m", pattern: "[A-Za-z0-9][A-Za-z0-9._\\-]*", maxLength: 64 }),
    field("Name", "name", { required: true, value: current?.name ?? "" }),
    h(
      "div.row",
      field("List price (minor units)", "price.amount", { type: "number", min: 0, required: true, value: current?.price.amount ?? "" }),
      field("Currency", "price.currency", { required: true, maxLength: 3, value: current?.price.currency ?? "usd" }),
      field("Shards", "shards", { type: "number", min: 1, max: 64, value: current?.shards ?? 1 }),
    ),
    h(
      "label.check",
      {},
      h("input", { type: "checkbox", name: "alwaysOn", checked: current?.alwaysOn ?? false }),
      " Sell at list price when no sale is live (alwaysOn)",
    ),
    h("p.form-banner", { role: "alert" }),
    h("button", { type: "submit" }, current ? "Save" : "Create SKU"),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const v = (n) => form.elements[n]?.value ?? "";
    const sku = current?.sku ?? v("sku").trim();
    const body = {
      name: v("name"),
      price: { amount: v("price.amount") === "" ? undefined : Number(v("price.amount")), currency: v("price.currency") },
      alwaysOn: form.elements.alwaysOn.checked,
      ...(v("shards") === "" ? {} : { shards: Number(v("shards")) }),
    };
    const r = await put(`/v1/skus/${enc(sku)}`, body);
    showErrors(form, r.problem);
    if (r.ok) done(r.body);
  });
  return form;
}

/** `at`: the location field (locationField), shown while the SKU is located: an adjustment then names one. */
function adjustForm(sku, at, done) {
  const form = h(
    "form.card.form",
    { method: "post", action: "#", dataset: { form: "adjust" } },
    h("h2", {}, "Restock or adjust"),
    h(
      "div.row",
      field("Units (+ restock, − remove)", "delta", { type: "number", required: true, step: 1 }),
      field("Reason", "reason", { tag: "select", options: REASONS }),
      field("Reference", "reference", { placeholder: "PO-1234, stock count…" }),
      at,
    ),
    h("p.form-banner", { role: "alert" }),
    h("button", { type: "submit" }, "Apply"),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const e = form.elements;
    const body = {
      delta: e.delta.value === "" ? undefined : Number(e.delta.value),
      reason: e.reason.value,
      ...(e.reference.value.trim() ? { reference: e.reference.value } : {}),
      ...(at.hidden ? {} : { location: e.location.value }),
    };
    const r = await post(`/v1/skus/${enc(sku)}/adjustments`, body);
    showErrors(form, r.problem);
    if (r.ok) {
      form.reset();
      done();
    }
  });
  return form;
}

async function detail(root, sku, features) {
  const levels = h("dl.levels");
  const banner = h("p.banner", { role: "alert" });
  const editSlot = h("div");
  const holdsSlot = h("div");
  const at = locationField("Location", "location");
  at.hidden = true;
  const located = skuLocationsPanel(sku, features, () => refresh());
  const refresh = async () => {
    const r = await get(`/v1/skus/${enc(sku)}`);
    if (!r.ok) {
      banner.textContent = problemText(r.problem);
      return;
    }
    banner.textContent = "";
    const s = r.body;
    fill(
      levels,
      ...[
        ["On hand", s.onHand],
        ["Reserved", s.reserved],
        ["Available", s.available],
        ["Sold", s.sold],
        // A key scoped to locations sees its locations' levels only: what is kept for the whole SKU is left out, and said.
        ...(s.scope
          ? [
              [
                "Scope",
                h("span", {}, `${s.scope.join(", ")} only`, h("small.scope-note", {}, "received and returned are kept for the whole SKU")),
              ],
            ]
          : [
              ["Returned", s.returned],
              ["Received", s.received],
            ]),
        ["Shards", s.shards],
        ["Status", s.status],
      ].map(([k, v]) => h("div", { dataset: { level: k.toLowerCase().replace(" ", "") } }, h("dt", {}, k), h("dd", {}, v))),
    );
    located.update(s);
    at.hidden = !s.locations?.length;
    if (s.locations?.length) at.set(s.locations.map((l) => l.location));
    return s;
  };
  const current = await refresh();
  fill(
    root,
    h("p", {}, h("a", { href: "#skus" }, "← All SKUs")),
    h("h1", {}, sku, current ? h("small", {}, ` ${current.name} · ${fmt.money(current.price)}`) : null),
    banner,
    levels,
    located.root,
    h(
      "div.grid2",
      {},
      features.perms.control("adjust", "Restocking or adjusting stock", ADJUST, () => adjustForm(sku, at, refresh)),
      editSlot,
    ),
    holdsSlot,
  );
  if (!current) return;
  fill(
    editSlot,
    features.perms.control("edit-sku", "Editing a SKU", PUT_SKU, () => skuForm(current, () => refresh())),
  );
  holdsPanel(holdsSlot, sku, features);
  // Live pushes (or polling) say a level moved: re-read the merchant view for every field.
  const stop = watchLevels(sku, () => refresh());
  return stop;
}
