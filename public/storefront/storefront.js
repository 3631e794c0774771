// The example storefront: plain browser JavaScript against the holdfast API.
// Live "N left" over GET /v1/skus/{sku}/live (spec §10), falling back to polling
// GET /v1/skus/{sku} every 2 s; holds with a countdown, restored from
// GET /v1/me/holds after a reload, one unit more or fewer in place (PATCH); a sale's waiting room (spec §9): a hold it
// refuses joins the line, shows the shopper's place, and goes through once
// admitted; checkout and payment retry with the simulated provider. Every
// state-changing call carries an Idempotency-Key. Prices are the server's: the
// price a hold gets now (`currentPrice`, and `price` in live messages), each
// hold's own price in the cart, and the total checkout is told to expect;
// countdowns run on the server's clock.

import { formatMoney } from "../shared/money.js";

const params = new URLSearchParams(location.search);
const API = apiOrigin(params.get("api"));
const TOKEN_KEY = "holdfast.shopperToken";
const POLL_MS = 2000;
const FINAL = new Set(["paid", "fulfilled", "payment_failed", "expired", "cancelled", "refunded"]);

/**
 * The API this page sends the shopper's token to: its own origin, or one the
 * page itself lists (`<meta name="holdfast-api-origins">`, space-separated,
 * also to be added to connect-src in public/_headers). A link's `?api=` may
 * only pick among those, so a crafted link cannot send the token elsewhere.
 */
function apiOrigin(asked) {
  const listed = document.querySelector('meta[name="holdfast-api-origins"]')?.content.split(/\s+/).filter(Boolean) ?? [];
  const allowed = new Set([location.origin, ...listed.map((o) => URL.parse(o)?.origin).filter(Boolean)]);
  const origin = asked === null ? location.origin : URL.parse(asked)?.origin;
  if (origin && allowed.has(origin)) return origin;
  console.warn(`holdfast storefront: ?api=${asked} is not an origin this page lists; using ${location.origin}`);
  return location.origin;
}

const $ = (id) => document.getElementById(id);
const state = { sku: null, holds: new Map(), feed: null, order: null, admission: null, line: null, clockOffsetMs: 0 };

function say(text) {
  $("message").textContent = text ?? "";
}

const money = (m) => formatMoney(m);

/** The server's clock: the browser's may be minutes off, and a hold expires by the server's. */
function serverNow() {
  return Date.now() + state.clockOffsetMs;
}

/** Learns the server's time from a response's Date header (whole seconds: the middle of that second). */
function noteServerTime(serverMs) {
  if (Number.isFinite(serverMs)) state.clockOffsetMs = serverMs - Date.now();
}

/** One API call; a problem document becomes a thrown Error carrying its code. */
async function api(method, path, { body, key, auth = true, extra = {} } = {}) {
  const headers = { ...extra };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (auth && token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  if (key) headers["idempotency-key"] = key;
  const res = await fetch(`${API}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const date = res.headers.get("date");
  if (date) noteServerTime(Date.parse(date) + 500);
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const err = new Error(data?.detail ?? `${res.status}`);
    err.code = data?.code ?? `http_${res.status}`;
    err.status = res.status;
    err.problem = data;
    throw err;
  }
  return data;
}

// --- The product and its live level -------------------------------------------

/**
 * The price a hold would get now, and the list price struck through beside it
 * only while a live sale sets a different one: an upcoming or ended sale is
 * named, never shown as the price.
 */
function renderPrice(current, list, sale) {
  $("price").textContent = current ? money(current) : money(list);
  $("list-price").textContent = current && current.amount !== list.amount ? money(list) : "";
  const note =
    !sale || sale.state === "live"
      ? ""
      : sale.state === "upcoming"
        ? `${sale.name}: ${money(sale.price)} from ${new Date(sale.startsAt).toLocaleString()}`
        : `${sale.name} has ended (${new Date(sale.endsAt).toLocaleString()}).`;
  $("sale-note").textContent = note;
}

function renderLevels(available, status) {
  $("left").textContent = status === "sold_out" || available === 0 ? "Sold out" : `${available} left`;
  $("status").textContent = status.replace("_", " ");
  $("status").className = `badge ${status}`;
  $("hold").disabled = !(status === "live" && available > 0);
}

async function showSku(sku) {
  stopFeed();
  state.sku = sku;
  const view = await api("GET", `/v1/skus/${encodeURIComponent(sku)}`, { auth: false });
  $("product").hidden = false;
  $("name").textContent = view.name;
  state.sale = view.sale;
  state.lastStatus = view.status;
  renderPrice(view.currentPrice, view.price, view.sale);
  renderLevels(view.available, view.status);
  startFeed(sku);
}

function stopFeed() {
  if (state.feed?.socket) state.feed.socket.close();
  if (state.feed?.timer) clearInterval(state.feed.timer);
  state.feed = null;
}

/** The WebSocket first; any failure (no such route yet, a proxy, a drop) falls back to polling. */
function startFeed(sku) {
  const feed = { socket: null, timer: null };
  state.feed = feed;
  const poll = () => {
    if (state.feed !== feed || feed.timer) return;
    $("feed").textContent = `polling every ${POLL_MS / 1000} s`;
    feed.timer = setInterval(async () => {
      try {
        const view = await api("GET", `/v1/skus/${encodeURIComponent(sku)}`, { auth: false });
        renderPrice(view.currentPrice, view.price, view.sale);
        renderLevels(view.available, view.status);
      } catch (err) {
        say(`Could not refresh: ${err.message}`);
      }
    }, POLL_MS);
  };
  let socket;
  try {
    socket = new WebSocket(`${API.replace(/^http/, "ws")}/v1/skus/${encodeURIComponent(sku)}/live`);
  } catch {
    return poll();
  }
  feed.socket = socket;
  const giveUp = setTimeout(() => {
    if (socket.readyState === WebSocket.OPEN) return;
    socket.close();
    poll();
  }, 3000);
  socket.addEventListener("open", () => {
    clearTimeout(giveUp);
    $("feed").textContent = "live (WebSocket)";
    // The server closes a socket that says nothing for 10 minutes.
    const keepAlive = setInterval(() => socket.send("ping"), 4 * 60_000);
    socket.addEventListener("close", () => clearInterval(keepAlive));
  });
  socket.addEventListener("message", (event) => {
    if (event.data === "pong") return;
    const msg = JSON.parse(event.data);
    if (msg.type !== "levels" || msg.sku !== sku) return;
    noteServerTime(Date.parse(msg.at));
    // A sale that started or ended since the page loaded: its name and window come with a fresh read.
    if (msg.status !== state.lastStatus && state.lastStatus !== undefined) refreshSale(sku);
    state.lastStatus = msg.status;
    renderPrice(msg.price, msg.listPrice, state.sale);
    renderLevels(msg.available, msg.status);
  });
  socket.addEventListener("error", () => poll());
  socket.addEventListener("close", () => poll());
}

async function refreshSale(sku) {
  try {
    const view = await api("GET", `/v1/skus/${encodeURIComponent(sku)}`, { auth: false });
    state.sale = view.sale;
    renderPrice(view.currentPrice, view.price, view.sale);
  } catch {
    // The live message already showed the price; the sale's name can wait for the next one.
  }
}

// --- Holds and the cart ----------------------------------------------------------

/** The cart's total: each hold at its own price (a price edit after the hold does not change it); null when mixed currencies. */
function cartTotal() {
  const holds = [...state.holds.values()].filter((h) => h.status === "held");
  if (holds.length === 0) return null;
  const currencies = new Set(holds.map((h) => h.unitPrice.currency));
  if (currencies.size !== 1) return null;
  return { amount: holds.reduce((sum, h) => sum + h.quantity * h.unitPrice.amount, 0), currency: [...currencies][0] };
}

function renderCart() {
  const list = $("holds");
  list.replaceChildren();
  for (const hold of state.holds.values()) {
    const li = document.createElement("li");
    li.dataset.holdId = hold.holdId;
    li.append(`${hold.quantity} × ${hold.sku} (${hold.status}) `);
    const price = document.createElement("span");
    price.className = "hold-price";
    price.textContent = `${money(hold.unitPrice)} each = ${money({ amount: hold.quantity * hold.unitPrice.amount, currency: hold.unitPrice.currency })} `;
    li.append(price);
    const countdown = document.createElement("span");
    countdown.className = "countdown";
    countdown.dataset.expiresAt = hold.expiresAt;
    li.append(countdown);
    if (hold.status === "held") {
      // A cart that changes its mind: one unit more or less, in place (spec §3); one less than 1 releases.
      for (const [label, by, name] of [
        ["−", -1, "fewer"],
        ["+", 1, "more"],
      ]) {
        const step = document.createElement("button");
        step.type = "button";
        step.className = "secondary step";
        step.textContent = label;
        step.dataset.action = name;
        step.setAttribute("aria-label", `${name === "more" ? "One more" : "One fewer"} ${hold.sku}`);
        step.addEventListener("click", () => changeQuantity(hold, hold.quantity + by));
        li.append(" ", step);
      }
      const release = document.createElement("button");
      release.type = "button";
      release.className = "secondary";
      release.textContent = "Release";
      release.addEventListener("click", () => releaseHold(hold));
      li.append(" ", release);
    }
    list.append(li);
  }
  const total = cartTotal();
  $("cart-total").textContent = total ? money(total) : "";
  $("cart").hidden = state.holds.size === 0;
  tick();
}

/** Countdowns to each hold's expiresAt; a hold past it leaves the cart. */
function tick() {
  for (const el of document.querySelectorAll(".countdown")) {
    const ms = Date.parse(el.dataset.expiresAt) - serverNow();
    if (ms <= 0) {
      el.textContent = "expired";
      state.holds.delete(el.parentElement.dataset.holdId);
      continue;
    }
    const s = Math.ceil(ms / 1000);
    el.textContent = `expires in ${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  }
}

async function takeHold(event) {
  event.preventDefault();
  await holdNow(Number($("quantity").value));
}

/** A hold; a sale with a waiting room refuses it without an admission, so the shopper joins the line and it is tried again once admitted. */
async function holdNow(quantity) {
  const admission = state.admission && Date.parse(state.admission.expiresAt) > serverNow() ? state.admission : null;
  try {
    const extra = admission ? { "holdfast-admission": admission.token } : {};
    const hold = await api("POST", `/v1/skus/${encodeURIComponent(state.sku)}/holds`, {
      body: { quantity },
      key: crypto.randomUUID(),
      extra,
    });
    state.holds.set(hold.holdId, hold);
    say("");
    renderCart();
  } catch (err) {
    if (err.code === "admission_required" && err.problem?.saleId && !admission)
      return joinLine(err.problem.saleId, state.sku, () => holdNow(quantity));
    say(`${err.code}: ${err.message}`);
  }
}

// --- The waiting room ----------------------------------------------------------------

function renderLine(status) {
  $("line").hidden = false;
  const text = {
    // Until the line's first tick after a join, the position (and a fresh line's length) is not known yet.
    waiting: status.position
      ? `You're in line: ${status.position} of ${status.waiting}.`
      : status.waiting > 0
        ? `You're in line (${status.waiting} waiting).`
        : "You're in line.",
    admitted: "It's your turn.",
    sold_out: "Sold out: the line has closed.",
    closed: status.reason === "admission_expired" ? "Your turn passed: join again." : "The sale has ended.",
  }[status.status];
  $("line-status").textContent = status.allHeld && status.status === "waiting" ? `${text} Every unit is held; some may come back.` : text;
}

/** Joins the item's line in the sale (joining again keeps the place) and polls as told until admitted, then runs `then`. */
async function joinLine(saleId, sku, then) {
  clearTimeout(state.line);
  try {
    follow(saleId, await api("POST", `/v1/sales/${encodeURIComponent(saleId)}/queue`, { body: { sku } }), then);
  } catch (err) {
    say(`${err.code}: ${err.message}`);
  }
}

function follow(saleId, status, then) {
  renderLine(status);
  if (status.status === "admitted") {
    state.admission = { saleId, ...status.admission };
    return then();
  }
  if (status.status !== "waiting") return;
  state.line = setTimeout(async () => {
    try {
      follow(saleId, await api("GET", `/v1/sales/${encodeURIComponent(saleId)}/queue/${status.ticket}`), then);
    } catch (err) {
      say(`${err.code}: ${err.message}`);
    }
  }, status.retryAfterSeconds * 1000);
}

async function releaseHold(hold) {
  try {
    await api("DELETE", `/v1/skus/${encodeURIComponent(hold.sku)}/holds/${encodeURIComponent(hold.holdId)}`);
    state.holds.delete(hold.holdId);
    renderCart();
  } catch (err) {
    say(`${err.code}: ${err.message}`);
  }
}

/**
 * Sets a hold's quantity in place (PATCH, spec §3): more units come only if
 * they are available now and within the sale's limits, else the hold stays
 * as it was and the page says why; 0 releases it. Under a waiting room an
 * increase needs the admission, so the shopper joins the line for it.
 */
async function changeQuantity(hold, quantity) {
  const admission = state.admission && Date.parse(state.admission.expiresAt) > serverNow() ? state.admission : null;
  try {
    const path = `/v1/skus/${encodeURIComponent(hold.sku)}/holds/${encodeURIComponent(hold.holdId)}`;
    const extra = admission ? { "holdfast-admission": admission.token } : {};
    const changed = await api("PATCH", path, { body: { quantity }, key: crypto.randomUUID(), extra });
    if (changed.status === "held") state.holds.set(changed.holdId, changed);
    else state.holds.delete(changed.holdId);
    say("");
    renderCart();
  } catch (err) {
    if (err.code === "admission_required" && err.problem?.saleId && !admission)
      return joinLine(err.problem.saleId, hold.sku, () => changeQuantity(hold, quantity));
    say(`${err.code}: ${err.message}`);
  }
}

/** The cart survives a reload: the shopper's live holds, from the API (about a second behind). */
async function restoreCart() {
  if (!sessionStorage.getItem(TOKEN_KEY)) return;
  try {
    const { data } = await api("GET", "/v1/me/holds");
    for (const hold of data) if (hold.status === "held") state.holds.set(hold.holdId, hold);
    renderCart();
  } catch (err) {
    say(`${err.code}: ${err.message}`);
  }
}

// --- Checkout and the order ------------------------------------------------------------

async function checkout(event) {
  event.preventDefault();
  const holdIds = [...state.holds.values()].filter((h) => h.status === "held").map((h) => h.holdId);
  if (holdIds.length === 0) return say("Hold something first.");
  // The total the shopper saw: the server refuses (total_changed) rather than charge another.
  const expectedTotal = cartTotal();
  try {
    const order = await api("POST", "/v1/checkout", {
      body: { holdIds, paymentMethod: $("payment-method").value, ...(expectedTotal && { expectedTotal }) },
      key: crypto.randomUUID(),
    });
    for (const id of holdIds) state.holds.delete(id);
    renderCart();
    await followOrder(order);
  } catch (err) {
    say(`${err.code}: ${err.message}`);
  }
}

function renderOrder(order) {
  state.order = order;
  // An order that moved on leaves no earlier error beneath it (a refused hold, a failed checkout).
  if (order.status !== "payment_failed") say("");
  $("order").hidden = false;
  $("order-id").textContent = order.orderId;
  $("order-status").textContent = order.status.replace("_", " ");
  $("order-total").textContent = money({ amount: order.total, currency: order.currency });
  $("retry-pay").hidden = order.status !== "payment_failed";
}

/** Payment runs on the server's queue: poll the order until it settles. */
async function followOrder(order) {
  renderOrder(order);
  for (let i = 0; i < 60 && !FINAL.has(order.status); i++) {
    await new Promise((r) => setTimeout(r, 1000));
    order = await api("GET", `/v1/orders/${encodeURIComponent(order.orderId)}`);
    renderOrder(order);
  }
}

async function retryPayment() {
  try {
    const order = await api("POST", `/v1/orders/${encodeURIComponent(state.order.orderId)}/pay`, {
      body: { paymentMethod: "pm_card_visa" },
      key: crypto.randomUUID(),
    });
    await followOrder(order);
  } catch (err) {
    say(`${err.code}: ${err.message}`);
  }
}

// --- Wiring ------------------------------------------------------------------------------

async function load() {
  const token = $("token").value.trim();
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  const sku = $("sku").value.trim();
  if (!sku) return say("Which SKU? Add ?sku=<id> to the address or type one.");
  const url = new URL(location.href);
  url.searchParams.set("sku", sku);
  history.replaceState(null, "", url);
  try {
    say("");
    await showSku(sku);
    await restoreCart();
  } catch (err) {
    say(`${err.code}: ${err.message}`);
  }
}

$("token").value = sessionStorage.getItem(TOKEN_KEY) ?? "";
$("sku").value = params.get("sku") ?? "";
$("load").addEventListener("click", load);
$("hold-form").addEventListener("submit", takeHold);
$("checkout-form").addEventListener("submit", checkout);
$("retry-pay").addEventListener("click", retryPayment);
setInterval(tick, 1000);
if ($("sku").value) load();
