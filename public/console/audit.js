// The audit log per stream, and the hash-chain verification.
import { get, qs } from "./api.js";
import { field, fill, fmt, h, problemText } from "./dom.js";

/** Verification pages followed per click: each page is a bounded slice of the log. */
const MAX_VERIFY_PAGES = 50;

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
  const body = h("tbody");
  const more = h("button.secondary", { type: "button", hidden: true }, "More");
  const form = h(
    "form.inline",
    { method: "post", action: "#" },
    field("Stream", "stream", { placeholder: "sku:tee-black-m or order:ord_… (empty: all)", value: stream ?? "" }),
    h("button.secondary", { type: "submit" }, "Show"),
    h("button", { type: "button", dataset: { action: "verify" }, onclick: () => verify() }, "Verify"),
  );
  let cursor = null;
  const current = () => form.elements.stream.value.trim();
  const load = async (reset) => {
    const r = await get(`/v1/audit${qs({ stream: current(), limit: 50, cursor: reset ? null : cursor })}`);
    if (!r.ok) {
      banner.textContent = problemText(r.problem);
      return;
    }
    banner.textContent = "";
    if (reset) body.replaceChildren();
    body.append(
      ...r.body.data.map((e) =>
        h(
          "tr",
          {},
          h("td", {}, e.stream),
          h("td.num", {}, e.seq),
          h("td", {}, e.type),
          h("td.actor", {}, actorOf(e.data)),
          h("td", {}, fmt.time(e.at)),
          h("td.mono.wrap", {}, typeof e.data === "string" ? e.data : JSON.stringify(e.data)),
          h("td.mono", { title: e.hash }, e.hash.slice(0, 10)),
        ),
      ),
    );
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
            ["Stream", "Seq", "Type", "Actor", "At", "Data", "Hash"].map((c) => h("th", {}, c)),
          ),
        ),
        body,
      ),
    ),
    more,
  );
  load(true);
}
