// The console's shell: sign-in, navigation between panels (#skus, #sales,
// #board/<saleId>, #orders, #audit, #report/<saleId>) and sign-out.
import { get, loadFeatures, token, whenUnauthorized } from "./api.js";
import { fill, h, problemText } from "./dom.js";
import * as audit from "./audit.js";
import * as board from "./board.js";
import * as orders from "./orders.js";
import * as report from "./report.js";
import * as sales from "./sales.js";
import * as skus from "./skus.js";

const panels = { skus, sales, board, orders, audit, report };
const view = document.getElementById("view");
const login = document.getElementById("login");
const nav = document.getElementById("nav");
let cleanup = null;

function showLogin(message) {
  cleanup?.();
  cleanup = null;
  fill(view);
  nav.hidden = true;
  login.hidden = false;
  login.querySelector(".form-banner").textContent = message ?? "";
  login.querySelector("input").focus();
}

async function route() {
  if (!token.get()) return showLogin();
  login.hidden = true;
  nav.hidden = false;
  const [name, ...args] = location.hash.slice(1).split("/").map(decodeURIComponent);
  const panel = panels[name] ?? skus;
  for (const a of nav.querySelectorAll("a")) a.classList.toggle("active", a.dataset.tab === (name in panels ? name : "skus"));
  cleanup?.();
  cleanup = null;
  const container = h("div.panel", { dataset: { panel: name || "skus" } });
  fill(view, container);
  // A panel that polls or listens returns how to stop it.
  const stop = await panel.render(container, args, await loadFeatures());
  cleanup = typeof stop === "function" ? stop : null;
}

login.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const input = login.querySelector("input");
  token.set(input.value.trim());
  // A cheap merchant-only call tells a wrong token (401) or a shopper's (403) from the right one.
  const r = await get("/v1/skus?limit=1");
  if (r.status === 401) return; // whenUnauthorized already returned to the form
  if (!r.ok) {
    token.clear();
    login.querySelector(".form-banner").textContent =
      r.status === 403 ? "That is a shopper token; the console needs the merchant token." : problemText(r.problem);
    return;
  }
  input.value = "";
  route();
});

document.getElementById("sign-out").addEventListener("click", () => {
  token.clear();
  showLogin("Signed out.");
});

whenUnauthorized((problem) =>
  showLogin(`The token was refused${problem?.detail ? ` (${problem.detail})` : ""}. Sign in with the merchant token.`),
);
window.addEventListener("hashchange", route);
route();
