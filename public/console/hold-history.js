// A hold's history (issue 23): its events from the audit stream of the object
// that owns it, oldest first, a change of quantity shown as before → after.
import { get, qs } from "./api.js";
import { fill, fmt, h, problemText } from "./dom.js";

/** Pages of the object's stream read for one hold: the console's view is bounded, the log is not. */
const MAX_PAGES = 20;
/** `hold_<24 hex>_<sku>` or `hold_<24 hex>-<shard>_<sku>` (src/stock/addressing.ts). */
const HOLD_ID = /^hold_[0-9a-f]{24}(?:-(\d+))?_(.+)$/;

/** The audit stream of the object a hold id names. */
export function streamOfHold(holdId) {
  const m = HOLD_ID.exec(holdId);
  if (!m) return null;
  return `sku:${m[1] === undefined ? m[2] : `${m[2]}#${m[1]}`}`;
}

function describe(e) {
  const d = e.data;
  if (e.type === "hold.changed") return `quantity ${d.before?.quantity} → ${d.after?.quantity ?? d.hold.quantity}`;
  const by = d.by ? ` by ${d.by}${d.reason ? ` (${d.reason})` : ""}` : "";
  return `quantity ${d.hold.quantity}${d.hold.orderId ? `, order ${d.hold.orderId}` : ""}${by}`;
}

/** A list of the hold's events, filled once its stream has been read. */
export function holdHistory(holdId) {
  const list = h("ol.history", { dataset: { holdHistory: holdId } }, h("li", {}, "Loading…"));
  (async () => {
    const stream = streamOfHold(holdId);
    const events = [];
    let cursor = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const r = await get(`/v1/audit${qs({ stream, limit: 200, cursor })}`);
      if (!r.ok) return fill(list, h("li", {}, problemText(r.problem)));
      for (const e of r.body.data) if (typeof e.data === "object" && e.data.hold?.holdId === holdId) events.push(e);
      cursor = r.body.nextCursor;
      if (!cursor) break;
    }
    fill(
      list,
      events.length > 0
        ? events.map((e) => h("li", { dataset: { type: e.type } }, `${fmt.time(e.at)} · ${e.type} · ${describe(e)}`))
        : h("li", {}, "No events in the audit log yet (it trails the stock by a second or so)."),
    );
  })();
  return list;
}
