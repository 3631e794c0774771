// The example storefront: plain browser JavaScript against the holdfast API.
// Live "N left" over GET /v1/skus/{sku}/live (spec §10), falling back to polling
// GET /v1/skus/{sku} every 2 s; holds with a countdown, restored from
// GET /v1/me/holds after a reload; a sale's waiting room (spec §9): a hold it
// refuses joins the line, shows the shopper's place, and goes through once
// admitted; checkout and payment retry with the simulated provider. Every
// state-changing call carries an Idempotency-Key.

const params = new URLSearchParams(location.search);
const API = (params.get("api") ?? location.origin).replace(/\/+$/, "");
const TOKEN_KEY = "holdfast.shopperToken";
const POLL_MS = 2000;
const FINAL = new Set(["paid", "fulfilled", "payment_failed", "expired", "cancelled", "refunded"]);

const $ = (id) => document.getElementById(id);
const state = { sku: null, holds: new Map(), feed: null, order: null, admission: null, line: null };

function say(text) {
  $("message").textContent = text ?? "";
}

function money({ amount, currency }) {
  return new Intl.NumberFormat(undefined, { style: "currency", currency: currency.toUpperCase() }).format(amount / 100);
}

/** One API call; a problem document becomes a thrown Error carrying its code. */
async function api(method, path, { body, key, auth = true, extra = {} } = {}) {
  const headers = { ...extra };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (auth && token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  if (key) headers["idempotency-key"] = key;
  const res = await fetch(`${API}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
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
  $("price").textContent = money(view.sale?.price ?? view.price);
  // The list price is struck through only when the sale's price differs from it.
  $("list-price").textContent = view.sale && view.sale.price.amount !== view.price.amount ? money(view.price) : "";
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
  });
  socket.addEventListener("message", (event) => {
    const msg = JSON.parse(event.data);
    if (msg.type === "levels" && msg.sku === sku) renderLevels(msg.available, msg.status);
  });
  socket.addEventListener("error", () => poll());
  socket.addEventListener("close", () => poll());
}

// --- Holds and the cart ----------------------------------------------------------

function renderCart() {
  const list = $("holds");
  list.replaceChildren();
  for (const hold of state.holds.values()) {
    const li = document.createElement("li");
    li.dataset.holdId = hold.holdId;
    li.append(`${hold.quantity} × ${hold.sku} (${hold.status}) `);
    const countdown = document.createElement("span");
    countdown.className = "countdown";
    countdown.dataset.expiresAt = hold.expiresAt;
    li.append(countdown);
    if (hold.status === "held") {
      const release = document.createElement("button");
      release.type = "button";
      release.className = "secondary";
      release.textContent = "Release";
      release.addEventListener("click", () => releaseHold(hold));
      li.append(" ", release);
    }
    list.append(li);
  }
  $("cart").hidden = state.holds.size === 0;
  tick();
}

/** Countdowns to each hold's expiresAt; a hold past it leaves the cart. */
function tick() {
  for (const el of document.querySelectorAll(".countdown")) {
    const ms = Date.parse(el.dataset.expiresAt) - Date.now();
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
  const admission = state.admission && Date.parse(state.admission.expiresAt) > Date.now() ? state.admission : null;
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
  try {
    const order = await api("POST", "/v1/checkout", {
      body: { holdIds, paymentMethod: $("payment-method").value },
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
