// The audit log per stream, newest first, and the hash-chain verification.
import { get, qs } from "./api.js";
import { field, fill, fmt, h, labelCells, problemText } from "./dom.js";

/** Verification pages followed per click: each page is a bounded slice of the log. */
const MAX_VERIFY_PAGES = 50;
/** Facts shown per event: a bound on what one row lays out (the full event is in the API). */
const MAX_FACTS = 40;
/** Column headings; eventRow() gives one cell for each, in this order. */
const COLUMNS = ["At", "Stream", "Seq", "Type", "Actor", "Facts", "Hash"];

/** An instant as a date: ISO strings, and epoch milliseconds in fields named *Ms or *_ms. */
function factValue(key, v) {
  if (typeof v === "number" && /(Ms|_ms)$/.test(key) && v > 1e11) return fmt.time(new Date(v).toISOString());
  if (typeof v === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(v)) return fmt.time(v);
  if (v && typeof v === "object" && "amount" in v && "currency" in v) return fmt.money(v);
  return String(v);
}

/** The event's facts as "path: value" lines, nested objects flattened (hold.quantity, levels.available). */
function facts(data) {
  if (typeof data === "string") return [h("li.mono", {}, data)];
  const out = [];
  const walk = (prefix, obj) => {
    for (const [k, v] of Object.entries(obj)) {
      if (out.length >= MAX_FACTS) return;
      const path = prefix ? `${prefix}.${k}` : k;
      if (v && typeof v === "object" && !Array.isArray(v) && !("amount" in v && "currency" in v)) walk(path, v);
      else if (v !== null && v !== undefined)
        out.push(h("li", {}, h("span.key", {}, path), " ", h("span.val", {}, Array.isArray(v) ? JSON.stringify(v) : factValue(k, v))));
    }
  };
  walk("", data);
  return out;
}

/** One event as a table row (one cell per COLUMNS entry); the one place a row is laid out. */
export function eventRow(e) {
  return h(
    "tr",
    { dataset: { seq: e.seq, stream: e.stream } },
    h("td.when", {}, fmt.time(e.at)),
    h("td", {}, e.stream),
    h("td.num", {}, e.seq),
    h("td", {}, e.type),
    h("td.actor", {}, actorOf(e.data)),
    h("td.facts", {}, h("ul.facts", {}, facts(e.data))),
    h("td.mono", { title: e.hash }, e.hash.slice(0, 10)),
  );
}

/** Who did a merchant action (spec §12): the key and its role; empty for the shoppers' and the system's events. */
function actorOf(data) {
  let facts = data;
  if (typeof data === "string") {
    try {
      facts = JSON.parse(data);
    } catch {
      return "";
    }
  }
  const actor = facts?.actor;
  return actor?.keyId ? `${actor.keyId} (${actor.role})` : "";
}

export async function render(root, [stream]) {
  const banner = h("p.banner", { role: "alert" });
  const verdict = h("p.verdict", { role: "status" });
  const body = h("tbody.events");
  const more = h("button.secondary", { type: "button", hidden: true }, "More");
  const form = h(
    "form.inline",
    { method: "post", action: "#" },
    field("Stream", "stream", { placeholder: "sku:tee-black-m or order:ord_… (empty: all)", value: stream ?? "" }),
    h("button.secondary", { type: "submit" }, "Show"),
    h("button", { type: "button", dataset: { action: "verify" }, onclick: () => verify() }, "Verify"),
  );
  const table = h(
    "table.data.stack.audit",
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
  let cursor = null;
  const current = () => form.elements.stream.value.trim();
  const load = async (reset) => {
    const r = await get(`/v1/audit${qs({ stream: current(), limit: 50, order: "newest", cursor: reset ? null : cursor })}`);
    if (!r.ok) {
      banner.textContent = problemText(r.problem);
      return;
    }
    banner.textContent = "";
    if (reset) body.replaceChildren();
    body.append(...r.body.data.map(eventRow));
    labelCells(table);
    cursor = r.body.nextCursor;
    more.hidden = !cursor;
  };
  const verify = async () => {
    verdict.className = "verdict";
    verdict.textContent = "Verifying…";
    let next;
    let events = 0;
    let streams = 0;
    for (let page = 0; page < MAX_VERIFY_PAGES; page++) {
      const r = await get(`/v1/audit/verify${qs({ stream: current(), cursor: next })}`);
      if (!r.ok) {
        verdict.textContent = problemText(r.problem);
        return;
      }
      events += r.body.events;
      streams += r.body.streams;
      if (!r.body.ok && r.body.firstBadEvent) {
        const b = r.body.firstBadEvent;
        verdict.className = "verdict bad";
        verdict.textContent = `Broken chain: ${b.stream} #${b.seq} (${b.reason}).`;
        return;
      }
      if (r.body.complete) {
        verdict.className = `verdict ${r.body.ok ? "good" : "bad"}`;
        verdict.textContent = r.body.ok
          ? `Verified: ${events} events in ${streams} stream${streams === 1 ? "" : "s"}, every hash chain intact.`
          : "Verification failed.";
        return;
      }
      next = r.body.nextCursor;
    }
    verdict.textContent = `Checked ${events} events so far; press Verify again to go on.`;
  };
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    load(true);
  });
  more.addEventListener("click", () => load(false));
  fill(
    root,
    h("h1", {}, "Audit log"),
    form,
    verdict,
    banner,
    h("p.hint", {}, "Newest first. Times in your browser's time zone."),
    h("div.scroll", {}, table),
    more,
  );
  load(true);
}
