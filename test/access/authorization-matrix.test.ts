import { beforeAll, describe, expect, it } from "vitest";
import { apiKey } from "../support/api-keys";
import { ADMIN, call, placeOrder, shopperToken, sleep, unique } from "../support/helpers";
import { locatedSku, registerLocation } from "../support/location-transfers";

/**
 * Who may call what (spec §6, §12), generated from `/openapi.json`: every
 * operation the Worker documents, called by every principal, must answer what
 * the table below declares (the dev tools, undocumented, are the owner's like
 * every route that names no role). An operation without a row fails, so a new route
 * cannot ship unclassified; a row without an operation fails too.
 *
 * `P`: the authorization layer lets the caller through: whatever the route then
 * answers (400 for the missing body, 404, 409, 426, ...) is neither 401 nor 403
 * nor a 5xx. A number: exactly that status. Shopper-owned resources (a hold, an
 * order) are shopper A's, so B's 404 checks that one shopper cannot reach
 * another's; every other id is a placeholder the route may not find, but for
 * `locationId`, location A. Keys scoped to locations (spec §12: manager of A,
 * manager of B, fulfillment of A) pass only the routes declared location-scoped,
 * and there only their locations: A's order and hold are allocated at A.
 */
const PRINCIPALS = [
  "anonymous",
  "shopperA",
  "shopperB",
  "viewer",
  "fulfillment",
  "manager",
  "owner",
  "managerOfA",
  "managerOfB",
  "fulfillmentOfA",
  "root",
  "revoked",
  "expired",
] as const;
type Principal = (typeof PRINCIPALS)[number];

// biome-ignore format: a grid, one operation a row, one principal a column
const MATRIX: Record<string, string> = {
  //                                                 anon A    B    view ful  man  own  manA manB fulA root rev  exp
  "GET /v1/access":                                 "401  403  403  P    P    P    P    P    P    P    P    401  401",
  "GET /healthz":                                   "P    P    P    P    P    P    P    P    P    P    P    P    P",
  "GET /metrics":                                   "401  403  403  P    403  P    P    403  403  403  P    401  401",
  "PUT /v1/skus/{sku}":                             "401  403  403  403  403  P    P    403  403  403  P    401  401",
  "GET /v1/skus/{sku}":                             "P    P    P    P    P    P    P    P    P    P    P    401  401",
  "POST /v1/skus/{sku}/adjustments":                "401  403  403  403  403  P    P    P    403  403  P    401  401",
  "PUT /v1/skus/{sku}/locations/{locationId}":      "401  403  403  403  403  P    P    P    403  403  P    401  401",
  "GET /v1/skus/{sku}/stats":                       "401  403  403  P    403  P    P    403  403  403  P    401  401",
  "GET /v1/skus/{sku}/live":                        "P    P    P    P    P    P    P    P    P    P    P    401  401",
  "POST /v1/skus/{sku}/holds":                      "401  P    P    403  403  403  403  403  403  403  403  401  401",
  "GET /v1/skus/{sku}/holds":                       "401  403  403  P    403  P    P    P    P    403  P    401  401",
  "GET /v1/skus/{sku}/holds/{holdId}":              "401  P    404  P    403  P    P    403  403  403  P    401  401",
  "DELETE /v1/skus/{sku}/holds/{holdId}":           "401  P    404  403  403  P    P    403  403  403  P    401  401",
  "PATCH /v1/skus/{sku}/holds/{holdId}":            "401  P    404  403  403  403  403  403  403  403  403  401  401",
  "POST /v1/skus/{sku}/holds/{holdId}/void":        "401  403  403  403  403  P    P    403  403  403  P    401  401",
  "PUT /v1/sales/{saleId}":                         "401  403  403  403  403  P    P    403  403  403  P    401  401",
  "GET /v1/sales/{saleId}":                         "P    P    P    P    P    P    P    P    P    P    P    401  401",
  "GET /v1/sales":                                  "401  403  403  P    403  P    P    403  403  403  P    401  401",
  "POST /v1/sales/{saleId}/end":                    "401  403  403  403  403  P    P    403  403  403  P    401  401",
  "GET /v1/sales/{saleId}/report":                  "401  403  403  P    403  P    P    403  403  403  P    401  401",
  "GET /v1/sales/{saleId}/board":                   "401  403  403  P    403  P    P    403  403  403  P    401  401",
  "GET /v1/sales/{saleId}/queue/draw":              "P    P    P    P    P    P    P    P    P    P    P    401  401",
  "GET /v1/sales/{saleId}/queue/draw/entrants":     "P    P    P    P    P    P    P    P    P    P    P    401  401",
  "GET /v1/sales/{saleId}/queue/{ticket}/proof":    "401  P    P    403  403  403  403  403  403  403  403  401  401",
  "POST /v1/sales/{saleId}/queue":                  "401  P    P    403  403  403  403  403  403  403  403  401  401",
  "GET /v1/sales/{saleId}/queue/{ticket}":          "401  P    P    403  403  403  403  403  403  403  403  401  401",
  "GET /v1/skus":                                   "401  403  403  P    403  P    P    403  403  403  P    401  401",
  "PUT /v1/locations/{locationId}":                 "401  403  403  403  403  P    P    P    403  403  P    401  401",
  "GET /v1/locations":                              "401  403  403  P    403  P    P    P    P    403  P    401  401",
  "GET /v1/locations/{locationId}":                 "401  403  403  P    403  P    P    P    403  403  P    401  401",
  "GET /v1/inventory/summary":                      "401  403  403  P    403  P    P    P    P    403  P    401  401",
  "GET /v1/inventory":                              "401  403  403  P    403  P    P    P    P    403  P    401  401",
  "POST /v1/inventory/reconcile":                   "401  403  403  403  403  403  P    403  403  403  P    401  401",
  "GET /v1/audit":                                  "401  403  403  P    403  P    P    403  403  403  P    401  401",
  "GET /v1/audit/verify":                           "401  403  403  P    403  P    P    403  403  403  P    401  401",
  "GET /v1/audit/key":                              "401  403  403  P    403  P    P    403  403  403  P    401  401",
  "GET /v1/audit/checkpoints":                      "401  403  403  P    403  P    P    403  403  403  P    401  401",
  "GET /v1/audit/export":                           "401  403  403  403  403  403  P    403  403  403  P    401  401",
  "POST /v1/transfers":                             "401  403  403  403  403  P    P    P    403  403  P    401  401",
  "GET /v1/transfers":                              "401  403  403  P    403  P    P    P    P    403  P    401  401",
  "GET /v1/transfers/{transferId}":                 "401  403  403  P    403  P    P    P    P    403  P    401  401",
  "POST /v1/transfers/{transferId}/receive":        "401  403  403  403  403  P    P    P    P    403  P    401  401",
  "POST /v1/transfers/{transferId}/cancel":         "401  403  403  403  403  P    P    P    P    403  P    401  401",
  "POST /v1/checkout":                              "401  P    P    403  403  403  403  403  403  403  403  401  401",
  "GET /v1/orders/{orderId}":                       "401  P    404  P    P    P    P    P    403  P    P    401  401",
  "POST /v1/orders/{orderId}/cancel":               "401  P    404  403  403  P    P    403  403  403  P    401  401",
  "POST /v1/orders/{orderId}/pay":                  "401  P    404  403  403  403  403  403  403  403  403  401  401",
  "POST /v1/orders/{orderId}/fulfill":              "401  403  403  403  P    P    P    P    403  P    P    401  401",
  "POST /v1/orders/{orderId}/refund":               "401  403  403  403  403  P    P    403  403  403  P    401  401",
  "GET /v1/orders":                                 "401  403  403  P    P    P    P    P    P    P    P    401  401",
  "POST /v1/payments/reconciliation":               "401  403  403  403  403  P    P    403  403  403  P    401  401",
  "GET /v1/payments/reconciliation":                "401  403  403  P    403  P    P    403  403  403  P    401  401",
  "GET /v1/me/holds":                               "401  P    P    403  403  403  403  403  403  403  403  401  401",
  "GET /v1/me/orders":                              "401  P    P    403  403  403  403  403  403  403  403  401  401",
  "POST /v1/webhooks/stripe":                       "P    P    P    P    P    P    P    403  403  403  P    401  401",
  "POST /v1/api-keys":                              "401  403  403  403  403  403  P    403  403  403  P    401  401",
  "GET /v1/api-keys":                               "401  403  403  403  403  403  P    403  403  403  P    401  401",
  "DELETE /v1/api-keys/{keyId}":                    "401  403  403  403  403  403  P    403  403  403  P    401  401",
  "POST /v1/webhook-secrets":                       "401  403  403  403  403  403  P    403  403  403  P    401  401",
  "GET /v1/webhook-secrets":                        "401  403  403  403  403  403  P    403  403  403  P    401  401",
  "DELETE /v1/webhook-secrets/{secretId}":          "401  403  403  403  403  403  P    403  403  403  P    401  401",
};

/**
 * The locations of the scoped keys: the SKU is stocked at A only, so shopper
 * A's hold and order are allocated there; B is registered, stocking nothing.
 */
const [LOCATION_A, LOCATION_B] = [unique("matrix-a"), unique("matrix-b")];

/** Bodies for the operations whose refusal (of shopper B, of a key scoped elsewhere) is decided past body validation. */
const BODIES: Record<string, unknown> = {
  "POST /v1/orders/{orderId}/pay": { paymentMethod: "pm_card_visa" },
  "PATCH /v1/skus/{sku}/holds/{holdId}": { quantity: 1 },
  "POST /v1/skus/{sku}/adjustments": { delta: 1, reason: "received", location: LOCATION_A },
  "PUT /v1/locations/{locationId}": { name: "Matrix A", country: "DE" },
  "POST /v1/transfers": { sku: "matrix-no-such-sku", from: LOCATION_A, to: LOCATION_B, quantity: 1 },
};

const expected = (row: string): Record<Principal, "P" | number> => {
  const cells = row.trim().split(/\s+/);
  if (cells.length !== PRINCIPALS.length) throw new Error(`a row needs ${PRINCIPALS.length} cells: ${row}`);
  return Object.fromEntries(PRINCIPALS.map((p, i) => [p, cells[i] === "P" ? "P" : Number(cells[i])])) as Record<Principal, "P" | number>;
};

type Operation = { method: string; path: string };
let operations: Operation[];
let auth: Record<Principal, string | undefined>;
let params: Record<string, string>;

beforeAll(async () => {
  const doc = (await call("/openapi.json")).body as { paths: Record<string, Record<string, unknown>> };
  operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((m) => ["get", "put", "post", "delete", "patch"].includes(m))
      .map((m) => ({ method: m.toUpperCase(), path })),
  );
  const [viewer, fulfillment, manager, owner, revoked] = await Promise.all(
    (["viewer", "fulfillment", "manager", "owner", "manager"] as const).map((role) => apiKey(role)),
  );
  await registerLocation(LOCATION_B);
  const [managerOfA, managerOfB, fulfillmentOfA] = await Promise.all([
    apiKey("manager", { locations: [LOCATION_A] }),
    apiKey("manager", { locations: [LOCATION_B] }),
    apiKey("fulfillment", { locations: [LOCATION_A] }),
  ]);
  expect((await call(`/v1/api-keys/${revoked!.keyId}`, { method: "DELETE", auth: ADMIN })).status).toBe(200);
  const expiresAtMs = Date.now() + 1_000;
  const expired = await apiKey("owner", { expiresAt: new Date(expiresAtMs).toISOString() });
  const [a, b] = [unique("matrix-a"), unique("matrix-b")];
  auth = {
    anonymous: undefined,
    shopperA: await shopperToken(a),
    shopperB: await shopperToken(b),
    viewer: viewer!.auth,
    fulfillment: fulfillment!.auth,
    manager: manager!.auth,
    owner: owner!.auth,
    managerOfA: managerOfA.auth,
    managerOfB: managerOfB.auth,
    fulfillmentOfA: fulfillmentOfA.auth,
    root: ADMIN,
    revoked: revoked!.auth,
    expired: expired.auth,
  };
  // A's own hold and order, on a SKU with stock for both, allocated at location A.
  const sku = await locatedSku({ [LOCATION_A]: 10 });
  const order = await placeOrder(a, sku, 1);
  const hold = await call(`/v1/skus/${sku}/holds`, { auth: auth.shopperA, body: { quantity: 1 } });
  expect(hold.status).toBe(201);
  params = {
    sku,
    holdId: hold.body.holdId,
    orderId: order.orderId,
    saleId: "matrix-no-such-sale",
    ticket: "matrix-no-such-ticket",
    keyId: "key_0000000000000000",
    secretId: "whs_0000000000000000",
    transferId: `ltr_${"0".repeat(24)}_${sku}`,
    locationId: LOCATION_A,
  };
  // The expired key's row: past its expiry before the first call.
  await sleep(Math.max(0, expiresAtMs - Date.now()) + 50);
});

describe("the authorization matrix", () => {
  it("classifies every documented operation, and only those", () => {
    const documented = operations.map((o) => `${o.method} ${o.path}`).sort();
    expect(
      documented.filter((op) => !(op in MATRIX)),
      "operations without a row in MATRIX",
    ).toEqual([]);
    expect(
      Object.keys(MATRIX).filter((op) => !documented.includes(op)),
      "rows without an operation",
    ).toEqual([]);
  });

  it("answers every operation x principal as declared", async () => {
    const wrong: string[] = [];
    let cells = 0;
    for (const { method, path } of operations) {
      const row = MATRIX[`${method} ${path}`];
      if (!row) continue;
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => {
        const value = params[name];
        if (value === undefined) throw new Error(`no value for path parameter ${name}`);
        return value;
      });
      for (const [principal, want] of Object.entries(expected(row)) as Array<[Principal, "P" | number]>) {
        cells++;
        const res = await call(url, { method, auth: auth[principal], body: BODIES[`${method} ${path}`] });
        const ok = want === "P" ? res.status !== 401 && res.status !== 403 && res.status < 500 : res.status === want;
        if (!ok)
          wrong.push(`${method} ${path} as ${principal}: ${res.status} (${JSON.stringify(res.body).slice(0, 120)}), declared ${want}`);
      }
    }
    console.log(`authorization matrix: ${operations.length} operations x ${PRINCIPALS.length} principals = ${cells} calls`);
    expect(wrong).toEqual([]);
  });
});
