// The merchant API as the console calls it. The token lives in
// sessionStorage["holdfast.token"] only and travels as a Bearer header, never in a URL.
import { permissionsOf } from "./permissions.js";

const TOKEN_KEY = "holdfast.token";
let onUnauthorized = () => {};

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (t) => sessionStorage.setItem(TOKEN_KEY, t),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** Called on any 401: the token is gone or wrong, so the console returns to its login form. */
export function whenUnauthorized(fn) {
  onUnauthorized = fn;
}

/**
 * One call → `{ ok, status, body, problem }`. Refusals are values: a problem
 * document comes back as `problem`, a network failure as status 0.
 */
export async function call(method, path, body, { idempotent = method === "POST" } = {}) {
  const headers = { authorization: `Bearer ${token.get() ?? ""}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  // A retried click must not restock twice: each action carries its own key.
  if (idempotent) headers["idempotency-key"] = `console-${crypto.randomUUID()}`;
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store" });
  } catch {
    return { ok: false, status: 0, body: null, problem: { title: "Network error", detail: "The server could not be reached." } };
  }
  const json = (res.headers.get("content-type") ?? "").includes("json") ? await res.json().catch(() => null) : null;
  if (res.status === 401) {
    token.clear();
    onUnauthorized(json);
  }
  return res.ok
    ? { ok: true, status: res.status, body: json, problem: null }
    : { ok: false, status: res.status, body: null, problem: json };
}

export const get = (path) => call("GET", path);
export const post = (path, body) => call("POST", path, body);
export const put = (path, body) => call("PUT", path, body, { idempotent: false });

/** Query string from an object, skipping empty values. */
export function qs(params) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ""));
  const s = q.toString();
  return s ? `?${s}` : "";
}

export const enc = encodeURIComponent;

/**
 * The signed-in key (spec §12): `{ keyId, role, locations }` from GET /v1/access,
 * or null on a server without keys (ADMIN_TOKEN is then the only credential, an owner's).
 */
let access;
export async function loadAccess() {
  if (access !== undefined) return access;
  const r = await get("/v1/access");
  access = r.ok ? r.body : r.status === 404 ? { keyId: "root", role: "owner", locations: null } : null;
  return access;
}

/** Forgets the key and what it may do: a sign-in or sign-out reads them again. */
export function forgetAccess() {
  access = undefined;
  features = null;
}

/**
 * What the signed-in key may do, from this server's OpenAPI document (read once
 * per sign-in; see permissions.js): `features.perms` answers `may(method, path)`
 * for every control, and the named flags are the panels' optional routes the
 * key may call. The console leaves out a control when either is missing.
 */
let features = null;
export async function loadFeatures() {
  if (features) return features;
  const doc = await fetch("/openapi.json")
    .then((r) => (r.ok ? r.json() : { paths: {} }))
    .catch(() => ({ paths: {} }));
  const perms = permissionsOf(doc, await loadAccess());
  const may = perms.may;
  features = {
    role: perms.role,
    perms,
    keys: may("GET", "/v1/api-keys"),
    listSales: may("GET", "/v1/sales"),
    endSale: may("POST", "/v1/sales/{saleId}/end"),
    report: may("GET", "/v1/sales/{saleId}/report"),
    board: may("GET", "/v1/sales/{saleId}/board"),
    listHolds: may("GET", "/v1/skus/{sku}/holds"),
    voidHold: may("POST", "/v1/skus/{sku}/holds/{holdId}/void"),
    live: may("GET", "/v1/skus/{sku}/live"),
    locations: may("GET", "/v1/locations"),
    putLocation: may("PUT", "/v1/locations/{locationId}"),
    stockLocation: may("PUT", "/v1/skus/{sku}/locations/{locationId}"),
    transfers: may("POST", "/v1/transfers"),
    listTransfers: may("GET", "/v1/transfers"),
    receiveTransfer: may("POST", "/v1/transfers/{transferId}/receive"),
    cancelTransfer: may("POST", "/v1/transfers/{transferId}/cancel"),
    manage: may("PUT", "/v1/skus/{sku}"),
  };
  return features;
}
