// A SKU's locations on its page (spec §11): each location's levels, a transfer
// between two of them (POST /v1/transfers), and stocking a registered location
// or setting its safety stock (PUT /v1/skus/{sku}/locations/{locationId}),
// and its transfers (sku-transfers.js).
import { enc, get, post, put } from "./api.js";
import { field, fill, h, labelCells, say, showErrors } from "./dom.js";
import { skuTransfersPanel } from "./sku-transfers.js";

const COLUMNS = ["Location", "On hand", "Reserved", "Available", "Sold", "In transit", "Safety stock"];

/** A select of location ids whose options follow the SKU's locations; `set(ids)` keeps the choice when it can. */
export function locationField(label, name) {
  // Not `required`: hidden on an unlocated SKU, it must not block its form; the server names a missing location.
  const box = field(label, name, { tag: "select" });
  const select = box.querySelector("select");
  box.set = (ids) => {
    const chosen = select.value;
    fill(
      select,
      ids.map((id) => h("option", { value: id }, id)),
    );
    if (ids.includes(chosen)) select.value = chosen;
  };
  return box;
}

/**
 * The panel: `update(view)` with the merchant view of the SKU (its `locations`
 * on a located SKU) redraws it; `changed()` is called after a write so the
 * page reads the SKU again.
 */
export function skuLocationsPanel(sku, features, changed) {
  const table = h(
    "table.data.stack.sku-locations",
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
    h("tbody"),
  );
  const note = h("p.hint");
  const banner = h("p.banner", { role: "status" });
  const from = locationField("From", "from");
  const to = locationField("To", "to");
  // Until the merchant picks a source, "From" follows the location with the most units to send.
  let fromPicked = false;
  from.querySelector("select").addEventListener("change", () => (fromPicked = true));
  const transfer = h(
    "form.card.form",
    { method: "post", action: "#", dataset: { form: "transfer" } },
    h("h2", {}, "Transfer"),
    h("p.hint", {}, "Units leave the source at once and count as in transit until the destination receives them."),
    h(
      "div.row",
      from,
      to,
      field("Units", "quantity", { type: "number", min: 1, step: 1, required: true }),
      field("Reference", "reference", { placeholder: "TR-1042" }),
    ),
    h("p.form-banner", { role: "alert" }),
    h("button", { type: "submit" }, "Send units"),
  );
  transfer.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const e = transfer.elements;
    const body = {
      sku,
      from: e.from.value,
      to: e.to.value,
      quantity: e.quantity.value === "" ? undefined : Number(e.quantity.value),
      ...(e.reference.value.trim() ? { reference: e.reference.value.trim() } : {}),
    };
    const r = await post("/v1/transfers", body);
    showErrors(transfer, r.problem);
    if (!r.ok) return;
    say(banner, `Transfer ${r.body.transferId}: ${body.quantity} in transit from ${body.from} to ${body.to}.`, "success");
    transfer.reset();
    fromPicked = false;
    changed();
  });

  const stockAt = field("Location", "location", { tag: "select", required: true });
  const stock = h(
    "form.card.form",
    { method: "post", action: "#", dataset: { form: "stock-location" } },
    h("h2", {}, "Stock a location"),
    h("p.hint", {}, "Adds a registered location to this SKU (0 units), or sets its safety stock: units never offered."),
    h("div.row", stockAt, field("Safety stock", "safetyStock", { type: "number", min: 0, step: 1 })),
    h("p.form-banner", { role: "alert" }),
    h("button", { type: "submit" }, "Save"),
  );
  stock.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const e = stock.elements;
    const body = e.safetyStock.value === "" ? {} : { safetyStock: Number(e.safetyStock.value) };
    const r = await put(`/v1/skus/${enc(sku)}/locations/${enc(e.location.value)}`, body);
    showErrors(stock, r.problem);
    if (!r.ok) return;
    say(banner, `${e.location.value} saved.`, "success");
    changed();
  });
  // The registry's locations, for the stocking form: read once per page visit.
  const registered = features.stockLocation
    ? get("/v1/locations?limit=100").then((r) => (r.ok ? r.body.data.map((l) => l.locationId) : []))
    : Promise.resolve([]);
  registered.then((ids) =>
    fill(
      stockAt.querySelector("select"),
      ids.map((id) => h("option", { value: id }, id)),
    ),
  );

  const transfers = skuTransfersPanel(sku, features, changed);
  // The forms, or the reasons the key may not use them, in their place.
  const { perms } = features;
  const transferSlot = perms.control("transfer", "Transferring stock between locations", [["POST", "/v1/transfers"]], () => transfer);
  const stockSlot = perms.control(
    "stock-location",
    "Stocking a location or setting its safety stock",
    [["PUT", "/v1/skus/{sku}/locations/{locationId}"]],
    () => stock,
  );
  const root = h(
    "section.sku-locations",
    { dataset: { part: "locations" } },
    h("h2", {}, "Locations"),
    note,
    banner,
    h("div.scroll", {}, table),
    h("div.grid2", {}, transferSlot, stockSlot),
    transfers.root,
  );
  const update = (view) => {
    const located = Array.isArray(view.locations) && view.locations.length > 0;
    table.hidden = !located;
    if (transferSlot) transferSlot.hidden = !located || view.locations.length < 2;
    transfers.sync(located, view.version);
    note.textContent = located
      ? `Version ${view.version ?? "—"} (the ETag a warehouse system sends back as If-Match). Available leaves out the safety stock.`
      : "This SKU keeps its stock in one place. Stock a location to track it per warehouse or store.";
    if (!located) return;
    fill(
      table.tBodies[0],
      view.locations.map((l) =>
        h(
          "tr",
          { dataset: { location: l.location } },
          h("td.mono", {}, l.location),
          [l.onHand, l.reserved, l.available, l.sold, l.inTransit, l.safetyStock].map((n, i) =>
            h(i === 2 ? "td.num.strong" : "td.num", {}, n),
          ),
        ),
      ),
    );
    labelCells(table);
    const ids = view.locations.map((l) => l.location);
    from.set(ids);
    to.set(ids);
    const source = from.querySelector("select");
    const destination = to.querySelector("select");
    if (!fromPicked) source.value = mostAvailable(view.locations);
    // "To" starts on another location than "From".
    if (destination.value === source.value) destination.value = ids.find((id) => id !== source.value) ?? source.value;
  };
  return { root, update };
}

/** The location with the most units free to offer (the first of a tie), where a transfer most likely starts. */
function mostAvailable(levels) {
  return levels.reduce((best, l) => (l.available > best.available ? l : best)).location;
}
