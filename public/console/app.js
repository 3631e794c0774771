// The console's shell: sign-in with an API key or ADMIN_TOKEN, navigation between panels
// (#skus, #locations, #sales, #board/<saleId>, #orders, #audit, #report/<saleId>, #keys) and sign-out.
import { forgetAccess, get, loadAccess, loadFeatures, token, whenUnauthorized } from "./api.js";
import { fill, h, problemText } from "./dom.js";
import { absent } from "./permissions.js";
import * as audit from "./audit.js";
import * as board from "./board.js";
import * as orders from "./orders.js";
import * as report from "./report.js";
import * as sales from "./sales.js";
import * as keys from "./keys.js";
import * as locations from "./locations.js";
import * as skus from "./skus.js";

const panels = { skus, locations, sales, board, orders, audit, report, keys };
/**
 * What a panel reads: a key whose role may not call it gets the reason in the
 * panel's place, not a page of refusals. In nav order: the first one the key
 * may read is where it lands. One SKU or order reads its own operation, which a
 * key scoped to locations may call where it may not list them all.
 */
const PANEL_READS = {
  skus: ["Reading SKUs", [["GET", "/v1/skus"]], [["GET", "/v1/skus/{sku}"]]],
  locations: ["Reading locations", [["GET", "/v1/locations"]]],
  sales: ["Reading sales", [["GET", "/v1/sales/{saleId}"]]],
  orders: ["Reading orders", [["GET", "/v1/orders"]], [["GET", "/v1/orders/{orderId}"]]],
  audit: ["Reading the audit log", [["GET", "/v1/audit"]]],
  keys: ["Managing API keys", [["GET", "/v1/api-keys"]]],
  board: ["Reading sales", [["GET", "/v1/sales/{saleId}"]]],
  report: ["The post-sale report", [["GET", "/v1/sales/{saleId}/report"]]],
};
/** Where a sign-in without a panel in the URL lands: the first of these the key may read (orders, for fulfillment). */
const LANDING = ["skus", "orders", "sales", "locations", "audit"];
const TITLES = { skus: "SKUs", locations: "Locations", sales: "Sales", orders: "Orders", audit: "Audit log", keys: "API keys" };
const view = document.getElementById("view");
const login = document.getElementById("login");
const nav = document.getElementById("nav");
let cleanup = null;

function showLogin(message) {
  cleanup?.();
  cleanup = null;
  fill(view);
  nav.hidden = true;
  document.getElementById("role-note").textContent = "";
  login.hidden = false;
  login.querySelector(".form-banner").textContent = message ?? "";
  login.querySelector("input").focus();
}

async function route() {
  if (!token.get()) return showLogin();
  login.hidden = true;
  nav.hidden = false;
  const [asked, ...args] = location.hash.slice(1).split("/").map(decodeURIComponent);
  const features = await loadFeatures();
  showAccess(await loadAccess(), features);
  const readable = (n) => PANEL_READS[n][1].every(([m, p]) => features.perms.may(m, p));
  const name = asked in panels ? asked : (LANDING.find(readable) ?? "skus");
  const panel = panels[name];
  for (const a of nav.querySelectorAll("a")) a.classList.toggle("active", a.dataset.tab === name);
  cleanup?.();
  cleanup = null;
  const container = h("div.panel", { dataset: { panel: name } });
  fill(view, container);
  const [what, listOps, oneOps] = PANEL_READS[name];
  const why = features.perms.why(what, ...(args[0] && oneOps ? oneOps : listOps));
  if (why) return void fill(container, h("h1", {}, TITLES[name] ?? what), absent(name, why));
  // A panel that polls or listens returns how to stop it.
  const stop = await panel.render(container, args, features);
  cleanup = typeof stop === "function" ? stop : null;
}

login.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const input = login.querySelector("input");
  token.set(input.value.trim());
  forgetAccess();
  // Every merchant key may ask what it is: a wrong token is 401, a shopper's 403.
  const r = await get("/v1/access");
  if (r.status === 401) return; // whenUnauthorized already returned to the form
  if (!r.ok) {
    token.clear();
    login.querySelector(".form-banner").textContent =
      r.status === 403 ? "That is a shopper token; the console needs an API key or the merchant token." : problemText(r.problem);
    return;
  }
  input.value = "";
  route();
});

/** Which key is signed in, and why some controls are absent (spec §12: what each role may do). */
const ROLE_NOTES = {
  owner: "",
  manager: "A manager key changes SKUs, stock, sales and orders; keys, secrets and audit exports are the owners'.",
  fulfillment: "A fulfillment key reads and fulfils orders; the other controls are left out.",
  viewer: "A viewer key reads without customer personal data; controls that change anything are left out.",
};
function showAccess(access, features) {
  const who = document.getElementById("whoami");
  who.textContent = access ? `${access.keyId} · ${access.role}` : "";
  who.dataset.role = access?.role ?? "";
  // Keys are the owners' alone; a tab the key may not read stays, dimmed, and its panel says why.
  nav.querySelector('[data-tab="keys"]').hidden = !features.keys;
  nav.querySelector('[data-tab="locations"]').hidden = !features.perms.has("GET", "/v1/locations");
  for (const a of nav.querySelectorAll("a[data-tab]")) {
    const [what, ops] = PANEL_READS[a.dataset.tab];
    const why = features.perms.why(what, ...ops);
    a.classList.toggle("locked", Boolean(why));
    a.title = why ?? "";
  }
  document.getElementById("role-note").textContent = ROLE_NOTES[access?.role] ?? "";
}

document.getElementById("sign-out").addEventListener("click", () => {
  token.clear();
  forgetAccess();
  showLogin("Signed out.");
});

whenUnauthorized((problem) =>
  showLogin(`The token was refused${problem?.detail ? ` (${problem.detail})` : ""}. Sign in with the merchant token.`),
);
window.addEventListener("hashchange", route);
route();
