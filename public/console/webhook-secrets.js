// The merchant webhook's signing secrets on the keys page (spec §12): during a
// rotation several sign each delivery. Add one (shown once), list them without
// the secrets, retire one (the server refuses to retire the last active one).
import { call, get } from "./api.js";
import { fill, fmt, h, problemText, say } from "./dom.js";
import { showOnce } from "./secret-once.js";

const LIST = [["GET", "/v1/webhook-secrets"]];
const ADD = [["POST", "/v1/webhook-secrets"]];
const RETIRE = [["DELETE", "/v1/webhook-secrets/{secretId}"]];

/** The section, or the reason the key may not see it; nothing on a server without the routes. */
export function webhookSecrets(perms) {
  if (!perms.has("GET", "/v1/webhook-secrets")) return null;
  return perms.control("webhook-secrets", "Managing webhook signing secrets", LIST, () => section(perms));
}

function section(perms) {
  const banner = h("p.banner", { role: "alert" });
  const shown = h("div.secret-once", { hidden: true });
  const body = h("tbody");
  const load = async () => {
    const r = await get("/v1/webhook-secrets");
    if (!r.ok) return void say(banner, problemText(r.problem));
    fill(body, r.body.data.map(row));
  };
  const retire = async (s) => {
    if (!confirm(`Retire ${s.secretId}? Deliveries are no longer signed with it.`)) return;
    const r = await call("DELETE", `/v1/webhook-secrets/${encodeURIComponent(s.secretId)}`);
    say(banner, r.ok ? `${s.secretId} retired.` : problemText(r.problem), r.ok ? "success" : "error");
    await load();
  };
  const row = (s) =>
    h(
      "tr",
      { dataset: { secretId: s.secretId } },
      h("td.mono", {}, s.secretId),
      h("td", {}, s.createdAt ? fmt.time(s.createdAt) : "from MERCHANT_WEBHOOK_SECRET"),
      h("td", {}, s.retiredAt ? `retired ${fmt.time(s.retiredAt)}` : "signing"),
      h(
        "td",
        {},
        s.retiredAt
          ? null
          : perms.control("retire-secret", "Retiring a secret", RETIRE, () =>
              h("button.secondary.small", { type: "button", dataset: { action: "retire-secret" }, onclick: () => retire(s) }, "Retire"),
            ),
      ),
    );
  const add = perms.control("add-secret", "Adding a signing secret", ADD, () =>
    h(
      "button",
      {
        type: "button",
        dataset: { action: "add-secret" },
        onclick: async () => {
          // No Idempotency-Key: a stored reply would keep the secret.
          const r = await call("POST", "/v1/webhook-secrets", undefined, { idempotent: false });
          if (!r.ok) return void say(banner, problemText(r.problem));
          say(banner, "");
          showOnce(shown, `Signing secret ${r.body.secretId}. It is shown this once: give it to the receiver now.`, r.body.secret);
          await load();
        },
      },
      "Add a signing secret",
    ),
  );
  const root = h(
    "section.webhook-secrets",
    { dataset: { part: "webhook-secrets" } },
    h("h2", {}, "Webhook signing secrets"),
    h("p.hint", {}, "Every active secret signs each delivery. To rotate: add one, give it to the receiver, then retire the old one."),
    add,
    shown,
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
            ["Secret", "Added", "Status", ""].map((c) => h("th", {}, c)),
          ),
        ),
        body,
      ),
    ),
  );
  load();
  return root;
}
