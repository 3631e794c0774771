// Locations (spec §11): the warehouses and stores that keep stock. The list with
// each location's profile and how many SKUs stock it, and one form that creates a
// location or edits the one picked from the list (PUT /v1/locations/{id}).
import { enc, get, put, qs } from "./api.js";
import { field, fill, h, labelCells, problemText, say, showErrors } from "./dom.js";

const COLUMNS = ["Location", "Name", "Country", "Lat, long", "Ships online", "Pickup", "Priority", "Status", "SKUs", ""];
/** Pages the list reads at most: 20 × 100 locations is far past any merchant's network. */
const PAGES_MAX = 20;

export async function render(root, _args, features) {
  const banner = h("p.banner", { role: "status" });
  const body = h("tbody");
  const table = h(
    "table.data.stack.locations",
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
  const formSlot = h("div");

  const load = async () => {
    const rows = [];
    let cursor = null;
    for (let i = 0; i < PAGES_MAX; i++) {
      const r = await get(`/v1/locations${qs({ limit: 100, cursor })}`);
      if (!r.ok) return void say(banner, problemText(r.problem));
      rows.push(...r.body.data);
      cursor = r.body.nextCursor;
      if (!cursor) break;
    }
    fill(
      body,
      rows.length
        ? rows.map((l) => row(l, features.putLocation ? () => edit(l) : null))
        : h("tr", {}, h("td", { colSpan: COLUMNS.length }, "No locations yet: add the first below.")),
    );
    labelCells(table);
  };
  const edit = (l) => {
    fill(formSlot, locationForm(l, saved));
    formSlot.querySelector("input[name=name]").focus();
  };
  /** After a save (or a cancelled edit: l null), the form is a new location's again. */
  const saved = async (l, status) => {
    if (l) say(banner, `${status === 201 ? "Created" : "Saved"} ${l.locationId} (revision ${l.revision}).`, "success");
    fill(formSlot, locationForm(null, saved));
    if (l) await load();
  };

  fill(
    root,
    h("h1", {}, "Locations"),
    h(
      "p.hint",
      {},
      "Warehouses and stores. A paused location takes no new holds (its holds live on); coordinates decide which " +
        "location is nearest a shopper (the default routing). Every SKU stocking a location hears of a change within a minute.",
    ),
    banner,
    h("div.scroll", {}, table),
    features.perms.control("put-location", "Adding or editing a location", [["PUT", "/v1/locations/{locationId}"]], () => formSlot),
  );
  if (features.putLocation) fill(formSlot, locationForm(null, saved));
  await load();
}

function row(l, onEdit) {
  return h(
    "tr",
    { dataset: { location: l.locationId } },
    h("td.mono", {}, l.locationId),
    h("td", {}, l.name),
    h("td", {}, l.country),
    h("td.num", {}, l.latitude === null ? "—" : `${l.latitude}, ${l.longitude}`),
    h("td", {}, l.fulfillsOnline ? "yes" : "no"),
    h("td", {}, l.pickup ? "yes" : "no"),
    h("td.num", {}, l.priority),
    h("td", {}, h(`span.badge.${l.status === "active" ? "live" : "sold_out"}`, {}, l.status)),
    h(
      "td.num",
      { title: "SKUs stocking it (still to be told of the last change)" },
      l.skus,
      l.pendingSkus ? ` (${l.pendingSkus} pending)` : "",
    ),
    h("td", {}, onEdit ? h("button.small.secondary", { type: "button", dataset: { action: "edit" }, onclick: onEdit }, "Edit") : null),
  );
}

/** Create (current null) or edit form; the server validates, and its field errors show beside the inputs. */
function locationForm(current, done) {
  const num = (name, label, attrs) => field(label, name, { type: "number", step: "any", value: current?.[name] ?? "", ...attrs });
  const check = (name, label, checked) => h("label.check", {}, h("input", { type: "checkbox", name, checked }), ` ${label}`);
  const form = h(
    "form.card.form",
    { method: "post", action: "#", dataset: { form: current ? "edit-location" : "create-location" } },
    h("h2", {}, current ? `Edit ${current.locationId}` : "New location"),
    current ? null : field("Location id", "locationId", { required: true, placeholder: "wh-berlin", maxLength: 40 }),
    h(
      "div.row",
      field("Name", "name", { required: true, value: current?.name ?? "", placeholder: "Berlin warehouse" }),
      field("Country", "country", { required: true, maxLength: 2, value: current?.country ?? "", placeholder: "DE" }),
    ),
    h(
      "div.row",
      num("latitude", "Latitude"),
      num("longitude", "Longitude"),
      num("priority", "Priority", { step: 1, value: current?.priority ?? 0 }),
      field("Status", "status", { tag: "select", options: ["active", "paused"] }),
    ),
    check("fulfillsOnline", "Ships online orders", current?.fulfillsOnline ?? true),
    check("pickup", "Pickup point", current?.pickup ?? false),
    h("p.form-banner", { role: "alert" }),
    h("button", { type: "submit" }, current ? "Save" : "Add location"),
    current ? h("button.secondary", { type: "button", onclick: () => done(null) }, "Cancel") : null,
  );
  if (current) form.elements.status.value = current.status;
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const e = form.elements;
    const id = current?.locationId ?? e.locationId.value.trim();
    const number = (input) => (input.value === "" ? undefined : Number(input.value));
    const body = {
      name: e.name.value,
      country: e.country.value.trim(),
      latitude: number(e.latitude),
      longitude: number(e.longitude),
      priority: number(e.priority),
      status: e.status.value,
      fulfillsOnline: e.fulfillsOnline.checked,
      pickup: e.pickup.checked,
    };
    const r = await put(`/v1/locations/${enc(id)}`, body);
    // The id travels in the path: its error is the parameter's, shown beside the id input.
    const problem = r.problem?.errors
      ? { ...r.problem, errors: r.problem.errors.map((x) => (x.in === "param" ? { ...x, in: "json" } : x)) }
      : r.problem;
    showErrors(form, problem);
    if (r.ok) await done(r.body, r.status);
  });
  return form;
}
