// A located SKU's transfers on its page (spec §11): the list by status
// (GET /v1/transfers?sku=&status=), and for one in transit a receipt in full or
// in part (POST …/receive) and a cancel (POST …/cancel) confirmed inline.
import { enc, get, post, qs } from "./api.js";
import { confirmInline, field, fill, fmt, h, labelCells, problemText, say } from "./dom.js";

const COLUMNS = ["Transfer", "From → To", "Quantity", "Received", "In transit", "Status", "Created"];
/** One page of the list; "Show older" reads the next, so the table stays bounded per click. */
const PAGE_ROWS = 50;

/**
 * The panel: `sync(version)` reads the list again when the SKU's version moved
 * (every transfer step moves it), so a level refresh does not wipe a receipt
 * being typed; `changed()` is called after a step so the page reads the levels again.
 */
export function skuTransfersPanel(sku, features, changed) {
  const status = field("Status", "status", { tag: "select" });
  const select = status.querySelector("select");
  fill(
    select,
    [
      ["in_transit", "in transit"],
      ["received", "received"],
      ["cancelled", "cancelled"],
      ["", "all"],
    ].map(([value, label]) => h("option", { value }, label)),
  );
  const body = h("tbody");
  const table = h(
    "table.data.stack",
    {},
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        [...COLUMNS, ""].map((c) => h("th", {}, c)),
      ),
    ),
    body,
  );
  const empty = h("p.hint");
  const banner = h("p.banner", { role: "alert" });
  const older = h("button.secondary.small", { type: "button", hidden: true, dataset: { action: "older-transfers" } }, "Show older");
  let cursor = null;
  let seenVersion;

  // A step's answer: its refusal in the banner (the list is read again either way, it may be stale).
  const after = (r, done) => {
    say(banner, r.ok ? done : problemText(r.problem), r.ok ? "success" : "error");
    if (r.ok) changed();
    load();
  };

  const actions = (t) => {
    if (t.status !== "in_transit" || !features.receiveTransfer) return null;
    // No max: the units in transit may have moved since the list was read, and the server names a receipt of too many.
    const units = h("input", {
      name: "quantity",
      type: "number",
      min: 1,
      step: 1,
      value: t.inTransit,
      "aria-label": "Units received",
    });
    const receive = h(
      "form.receive",
      { action: "#", dataset: { form: "receive-transfer" } },
      units,
      h("button.small", { type: "submit", dataset: { action: "receive" } }, "Receive"),
    );
    receive.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const quantity = Number(units.value);
      const r = await post(`/v1/transfers/${enc(t.transferId)}/receive`, { quantity });
      after(r, `${t.transferId}: ${quantity} received at ${t.to}.`);
    });
    const cancel = features.cancelTransfer
      ? confirmInline({
          label: "Cancel transfer",
          question: `Send the ${t.inTransit} in transit back to ${t.from}?`,
          confirmLabel: "Cancel transfer",
          action: "cancel-transfer",
          cls: "small.danger",
          onConfirm: async () => {
            const r = await post(`/v1/transfers/${enc(t.transferId)}/cancel`);
            after(r, `${t.transferId} cancelled: ${r.body?.cancelled ?? 0} back at ${t.from}.`);
          },
        })
      : null;
    return [receive, " ", cancel];
  };

  const rowOf = (t) =>
    h(
      "tr",
      { dataset: { transfer: t.transferId } },
      h("td.mono.wrap", {}, t.transferId, t.reference ? [h("br"), h("small", {}, t.reference)] : null),
      h("td.mono", {}, `${t.from} → ${t.to}`),
      [t.quantity, t.received, t.inTransit].map((n) => h("td.num", {}, n)),
      h("td", {}, t.status),
      h("td", {}, fmt.time(t.createdAt)),
      h("td.actions", {}, actions(t)),
    );

  async function load(more = false) {
    const r = await get(`/v1/transfers${qs({ sku, status: select.value, limit: PAGE_ROWS, cursor: more ? cursor : undefined })}`);
    if (!r.ok) return say(banner, problemText(r.problem));
    if (more) body.append(...r.body.data.map(rowOf));
    else fill(body, r.body.data.map(rowOf));
    labelCells(table);
    cursor = r.body.nextCursor;
    older.hidden = !cursor;
    table.hidden = body.rows.length === 0;
    empty.textContent = body.rows.length === 0 ? `No transfers${select.value ? ` ${select.selectedOptions[0].textContent}` : ""}.` : "";
  }
  select.addEventListener("change", () => {
    say(banner, "");
    load();
  });
  older.addEventListener("click", () => load(true));

  const root = h(
    "div.sku-transfers",
    { dataset: { part: "transfers" } },
    h("h2", {}, "Transfers"),
    features.perms.reason("transfer-steps", "Receiving or cancelling a transfer", [
      ["POST", "/v1/transfers/{transferId}/receive"],
      ["POST", "/v1/transfers/{transferId}/cancel"],
    ]),
    status,
    banner,
    empty,
    h("div.scroll", {}, table),
    older,
  );
  root.hidden = true;
  return {
    root,
    /** Shows the panel for a located SKU and reads the list when its version is new. */
    sync(located, version) {
      root.hidden = !located || !features.listTransfers;
      if (root.hidden || version === seenVersion) return;
      seenVersion = version;
      load();
    },
  };
}
