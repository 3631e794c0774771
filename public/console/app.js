// The console's shell: sign-in with an API key or ADMIN_TOKEN, navigation between panels
// (#skus, #locations, #sales, #board/<saleId>, #orders, #audit, #report/<saleId>, #keys) and sign-out.
import { forgetAccess, get, loadAccess, loadFeatures, token, whenUnauthorized } from "./api.js";
import { fill, h, problemText } from "./dom.js";
import * as audit from "./audit.js";
import * as board from "./board.js";
import * as orders from "./orders.js";
import * as report from "./report.js";
import * as sales from "./sales.js";
import * as keys from "./keys.js";
import * as locations from "./locations.js";
import * as skus from "./skus.js";

const panels = { skus, locations, sales, board, orders, audit, report, keys };
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
  const [name, ...args] = location.hash.slice(1).split("/").map(decodeURIComponent);
  const features = await loadFeatures();
  showAccess(await loadAccess(), features);
  const panel = panels[name] ?? skus;
  for (const a of nav.querySelectorAll("a")) a.classList.toggle("active", a.dataset.tab === (name in panels ? name : "skus"));
  cleanup?.();
  cleanup = null;
  const container = h("div.panel", { dataset: { panel: name || "skus" } });
  fill(view, container);
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
  nav.querySelector('[data-tab="keys"]').hidden = !features.keys;
  nav.querySelector('[data-tab="locations"]').hidden = !features.locations;
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
