// The owners' keys page (spec §12): create a key (its secret shown once, with a
// copy button), list the keys without their secrets, revoke one.
import { call, get } from "./api.js";
import { field, fill, fmt, h, problemText, showErrors, unavailable } from "./dom.js";
import { showOnce } from "./secret-once.js";
import { webhookSecrets } from "./webhook-secrets.js";

const ROLES = ["viewer", "fulfillment", "manager", "owner"];

export async function render(root, _args, features) {
  // A key whose role may not manage keys never gets here (app.js shows why): only a server without keys does.
  if (!features.keys) return void fill(root, h("h1", {}, "API keys"), unavailable("API keys"));
  const banner = h("p.banner", { role: "alert" });
  const shown = h("div.secret-once", { hidden: true });
  const body = h("tbody");
  const form = h(
    "form.inline",
    { method: "post", action: "#" },
    field("Name", "name", { required: true, maxlength: 100, placeholder: "warehouse tablet" }),
    field("Role", "role", { tag: "select", options: ROLES }),
    field("Expires (optional)", "expiresAt", { type: "datetime-local" }),
    h("button", { type: "submit" }, "Create key"),
  );

  const load = async () => {
    const r = await get("/v1/api-keys");
    if (!r.ok) {
      banner.textContent = problemText(r.problem);
      return;
    }
    body.replaceChildren(...r.body.data.map(row));
  };
  const row = (k) =>
    h(
      "tr",
      { dataset: { keyId: k.keyId } },
      h("td", {}, k.name),
      h("td.mono", {}, k.keyId),
      h("td", {}, k.role),
      h("td", {}, fmt.time(k.createdAt)),
      h("td", {}, k.expiresAt ? fmt.time(k.expiresAt) : "never"),
      h("td", {}, k.lastUsedAt ? fmt.time(k.lastUsedAt) : "never"),
      h(
        "td",
        {},
        k.revokedAt
          ? `revoked ${fmt.time(k.revokedAt)}`
          : !features.perms.may("DELETE", "/v1/api-keys/{keyId}")
            ? null
            : h("button.secondary", { type: "button", dataset: { action: "revoke" }, onclick: () => revoke(k) }, "Revoke"),
      ),
    );
  const revoke = async (k) => {
    if (!confirm(`Revoke "${k.name}" (${k.keyId})? Requests with it are refused within seconds.`)) return;
    const r = await call("DELETE", `/v1/api-keys/${encodeURIComponent(k.keyId)}`);
    banner.textContent = r.ok ? "" : problemText(r.problem);
    await load();
  };

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    const expires = String(data.get("expiresAt") ?? "");
    const body = { name: String(data.get("name")).trim(), role: String(data.get("role")) };
    if (expires) body.expiresAt = new Date(expires).toISOString();
    // No Idempotency-Key: the server keeps no reply that would hold the secret.
    const r = await call("POST", "/v1/api-keys", body, { idempotent: false });
    if (!r.ok) return void showErrors(form, r.problem);
    form.reset();
    showSecret(r.body);
    await load();
  });

  const showSecret = (k) =>
    showOnce(shown, `The secret of "${k.name}" (${k.role}). It is shown this once: holdfast keeps only its hash.`, k.secret);

  fill(
    root,
    h("h1", {}, "API keys"),
    h("p.hint", {}, "Each key has one role. Revoked keys are refused everywhere within five seconds."),
    features.perms.control("create-key", "Creating a key", [["POST", "/v1/api-keys"]], () => form),
    shown,
    banner,
    h(
      "div.scroll",
      {},
      h(
        "table.data.keys",
        {},
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["Name", "Key", "Role", "Created", "Expires", "Last used", ""].map((c) => h("th", {}, c)),
          ),
        ),
        body,
      ),
    ),
    webhookSecrets(features.perms),
  );
  await load();
}
