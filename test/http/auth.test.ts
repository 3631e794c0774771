import { sign } from "hono/jwt";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, call, createSku, expectProblem, hold, levels, putSale, shopperToken, unique } from "../support/helpers";
import { TEST_SECRETS } from "../support/secrets";

/**
 * Who may call what (spec §6): shoppers carry an HS256 JWT with `sub` and `exp`,
 * the merchant carries ADMIN_TOKEN. Every refusal is a problem and changes nothing.
 */

type Res = Awaited<ReturnType<typeof call>>;

const SECRET = TEST_SECRETS.SHOPPER_JWT_SECRET;
const now = () => Math.floor(Date.now() / 1000);
const b64urlBytes = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replaceAll("=", "");
/** A JWT part: the value's JSON, base64url-encoded. */
const b64url = (v: unknown) => b64urlBytes(new TextEncoder().encode(JSON.stringify(v)));

/** Credentials that must never authenticate anybody. */
const badCredentials: Array<[string, () => Promise<string>]> = [
  ["a non-Bearer scheme", async () => "Token x"],
  ["'Bearer' without a token", async () => "Bearer"],
  ["'Bearer ' with an empty token", async () => "Bearer "],
  ["a wrong admin token", async () => `Bearer ${TEST_SECRETS.ADMIN_TOKEN}-not`],
  ["a JWT signed with another secret", () => shopperToken("mallory", { secret: "another-secret-0123456789abcdef" })],
  ["an expired JWT", () => shopperToken("mallory", { expiresInSeconds: -120 })],
  ["a JWT without exp", async () => `Bearer ${await sign({ sub: "mallory" }, SECRET, "HS256")}`],
  ["a JWT without sub", async () => `Bearer ${await sign({ exp: now() + 3600 }, SECRET, "HS256")}`],
  ["a JWT whose sub is not a customer id", async () => `Bearer ${await sign({ sub: "a b", exp: now() + 3600 }, SECRET, "HS256")}`],
  [
    "a JWT not valid before an hour from now",
    async () => `Bearer ${await sign({ sub: "mallory", exp: now() + 7200, nbf: now() + 3600 }, SECRET, "HS256")}`,
  ],
  ["a JWT signed with HS512", async () => `Bearer ${await sign({ sub: "mallory", exp: now() + 3600 }, SECRET, "HS512")}`],
  [
    "an unsigned JWT (alg none)",
    async () => `Bearer ${b64url({ alg: "none", typ: "JWT" })}.${b64url({ sub: "mallory", exp: now() + 3600 })}.`,
  ],
  // Issue 22 item 6: a bounded lifetime and one spelling per signature.
  ["a JWT that expires in 9999", async () => `Bearer ${await sign({ sub: "mallory", exp: 253_402_300_799 }, SECRET, "HS256")}`],
  ["a JWT that lives two days", async () => `Bearer ${await sign({ sub: "mallory", iat: now(), exp: now() + 172_800 }, SECRET, "HS256")}`],
  [
    "a JWT whose signature is spelled with unused bits set",
    async () => {
      const token = await sign({ sub: "mallory", exp: now() + 600 }, SECRET, "HS256");
      return `Bearer ${respell(token)}`;
    },
  ],
];

/** The same bytes in a non-canonical spelling: the last character of a 43-character signature has two unused bits. */
function respell(token: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  return `${token.slice(0, -1)}${alphabet[alphabet.indexOf(token.at(-1)!) ^ 1]}`;
}

interface World {
  sku: string;
  saleSku: string;
  saleId: string;
  owner: string;
  holdId: string;
}
let w: World;

beforeAll(async () => {
  const sku = await createSku({ stock: 10 });
  const owner = unique("alice");
  const h = await hold(sku, owner, 2);
  expect(h.status).toBe(201);
  const saleSku = await createSku({ stock: 3, alwaysOn: false });
  const saleId = unique("sale");
  expect((await putSale(saleId, [{ sku: saleSku, price: { amount: 500, currency: "usd" }, perCustomerLimit: 2 }])).status).toBe(201);
  w = { sku, saleSku, saleId, owner, holdId: h.body.holdId };
});

async function state() {
  const [sku, saleSku, sale, held] = await Promise.all([
    call(`/v1/skus/${w.sku}`, { auth: ADMIN }),
    call(`/v1/skus/${w.saleSku}`, { auth: ADMIN }),
    call(`/v1/sales/${w.saleId}`),
    call(`/v1/skus/${w.sku}/holds/${w.holdId}`, { auth: ADMIN }),
  ]);
  return { sku: sku.body, saleSku: saleSku.body, sale: sale.body, hold: held.body };
}

/** One request per protected route; every body is valid, so only the credential can be refused. */
const routes: Array<[string, (auth: string | undefined) => Promise<Res>]> = [
  [
    "PUT /v1/skus/{sku}",
    (auth) => call(`/v1/skus/${w.sku}`, { method: "PUT", auth, body: { name: "Renamed", price: { amount: 1, currency: "usd" } } }),
  ],
  ["POST /v1/skus/{sku}/adjustments", (auth) => call(`/v1/skus/${w.sku}/adjustments`, { auth, body: { delta: 5, reason: "restock" } })],
  [
    "PUT /v1/sales/{saleId}",
    (auth) =>
      call(`/v1/sales/${w.saleId}`, {
        method: "PUT",
        auth,
        body: {
          name: "Hijacked",
          startsAt: new Date(Date.now() - 1000).toISOString(),
          endsAt: new Date(Date.now() + 1000).toISOString(),
          items: [{ sku: w.saleSku, price: { amount: 0, currency: "usd" }, perCustomerLimit: 100 }],
        },
      }),
  ],
  ["POST /v1/skus/{sku}/holds", (auth) => call(`/v1/skus/${w.sku}/holds`, { auth, body: { quantity: 1 } })],
  ["GET /v1/skus/{sku}/holds/{holdId}", (auth) => call(`/v1/skus/${w.sku}/holds/${w.holdId}`, { auth })],
  ["DELETE /v1/skus/{sku}/holds/{holdId}", (auth) => call(`/v1/skus/${w.sku}/holds/${w.holdId}`, { method: "DELETE", auth })],
];
const route = (name: string) => routes.find(([n]) => n === name)![1];

async function expectRefusedWithoutChange(send: () => Promise<Res>, status: number, code: string) {
  const before = await state();
  expect(before.hold.status).toBe("held");
  const res = await send();
  expectProblem(res, status, code);
  // RFC 9110: a 401 names the scheme to authenticate with; a 403 does not.
  expect(res.headers.get("www-authenticate")).toBe(status === 401 ? 'Bearer realm="holdfast"' : null);
  expect(await state()).toEqual(before);
}

describe("authentication", () => {
  it.each(routes)("%s without Authorization → 401 unauthorized", async (_name, send) => {
    await expectRefusedWithoutChange(() => send(undefined), 401, "unauthorized");
  });

  const cases = badCredentials.flatMap(([cred, token]) =>
    ["POST /v1/skus/{sku}/holds", "POST /v1/skus/{sku}/adjustments", "GET /v1/skus/{sku}"].map((r) => [cred, r, token] as const),
  );
  it.each(cases)("%s on %s → 401 unauthorized", async (_cred, r, token) => {
    const auth = await token();
    const send = r === "GET /v1/skus/{sku}" ? () => call(`/v1/skus/${w.sku}`, { auth }) : () => route(r)(auth);
    await expectRefusedWithoutChange(send, 401, "unauthorized");
  });

  it("a JWT signed with the right secret, HS256, sub and exp authenticates the shopper", async () => {
    const customer = unique("bob");
    const res = await call(`/v1/skus/${w.sku}/holds`, { auth: await shopperToken(customer), body: { quantity: 1 } });
    expect(res.status).toBe(201);
    expect(res.body.customerId).toBe(customer);
    expect((await call(`/v1/skus/${w.sku}/holds/${res.body.holdId}`, { method: "DELETE", auth: ADMIN })).body.status).toBe("released");
  });
});

describe("authorization", () => {
  it.each(["PUT /v1/skus/{sku}", "POST /v1/skus/{sku}/adjustments", "PUT /v1/sales/{saleId}"])(
    "a shopper token on %s → 403 forbidden",
    async (r) => {
      await expectRefusedWithoutChange(async () => route(r)(await shopperToken(w.owner)), 403, "forbidden");
    },
  );

  it("the merchant token on POST /v1/skus/{sku}/holds → 403 forbidden", async () => {
    await expectRefusedWithoutChange(() => route("POST /v1/skus/{sku}/holds")(ADMIN), 403, "forbidden");
  });

  it.each(["GET /v1/skus/{sku}/holds/{holdId}", "DELETE /v1/skus/{sku}/holds/{holdId}"])(
    "another shopper on %s → 404 not_found, and the hold stays held",
    async (r) => {
      await expectRefusedWithoutChange(async () => route(r)(await shopperToken(unique("mallory"))), 404, "not_found");
    },
  );

  it("the owner cannot reach their hold through another SKU's path", async () => {
    const auth = await shopperToken(w.owner);
    await expectRefusedWithoutChange(() => call(`/v1/skus/${w.saleSku}/holds/${w.holdId}`, { auth }), 404, "not_found");
    await expectRefusedWithoutChange(() => call(`/v1/skus/${w.saleSku}/holds/${w.holdId}`, { method: "DELETE", auth }), 404, "not_found");
  });

  it("the owner can GET their hold", async () => {
    const res = await route("GET /v1/skus/{sku}/holds/{holdId}")(await shopperToken(w.owner));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ holdId: w.holdId, sku: w.sku, customerId: w.owner, quantity: 2, status: "held" });
  });

  it("the merchant can GET and DELETE any shopper's hold", async () => {
    const sku = await createSku({ stock: 4 });
    const customer = unique("carol");
    const h = await hold(sku, customer, 3);
    expect(h.status).toBe(201);
    const got = await call(`/v1/skus/${sku}/holds/${h.body.holdId}`, { auth: ADMIN });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ holdId: h.body.holdId, customerId: customer, status: "held" });
    const del = await call(`/v1/skus/${sku}/holds/${h.body.holdId}`, { method: "DELETE", auth: ADMIN });
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ holdId: h.body.holdId, status: "released" });
    const after = (await call(`/v1/skus/${sku}`, { auth: ADMIN })).body;
    expect({ reserved: after.reserved, available: after.available, liveHolds: after.liveHolds }).toEqual({
      reserved: 0,
      available: 4,
      liveHolds: 0,
    });
  });
});

describe("GET /v1/skus/{sku}: public and merchant views", () => {
  const PUBLIC_KEYS = ["available", "currentPrice", "name", "price", "sale", "sku", "status", "view"];
  const LEVEL_KEYS = ["onHand", "reserved", "sold", "received"];

  it("anonymous callers and shoppers see only the public fields", async () => {
    for (const auth of [undefined, await shopperToken(unique("dave"))]) {
      const res = await call(`/v1/skus/${w.sku}`, { auth });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(Object.keys(res.body).sort()).toEqual(PUBLIC_KEYS);
      for (const k of [...LEVEL_KEYS, "liveHolds", "alwaysOn"]) expect(res.body).not.toHaveProperty(k);
      expect(res.body).toMatchObject({ sku: w.sku, available: 8, status: "live", price: { amount: 1999, currency: "usd" } });
    }
  });

  it("the merchant view adds onHand, reserved, sold and received", async () => {
    const res = await call(`/v1/skus/${w.sku}`, { auth: ADMIN });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      sku: w.sku,
      available: 8,
      onHand: 10,
      reserved: 2,
      sold: 0,
      received: 10,
      liveHolds: 1,
      alwaysOn: true,
    });
  });

  it("the public view of a SKU in a sale shows the sale, not the levels", async () => {
    const res = await call(`/v1/skus/${w.saleSku}`);
    expect(res.status).toBe(200);
    expect(res.body.sale).toMatchObject({ saleId: w.saleId, price: { amount: 500, currency: "usd" }, perCustomerLimit: 2 });
    expect(Object.keys(res.body).sort()).toEqual(PUBLIC_KEYS);
  });
});

/* Issue 7: each test in this block failed on the code before its fix. */
describe("the Bearer scheme and the JWT header", () => {
  async function jwt(header: Record<string, unknown>, sub: string) {
    const input = `${b64url(header)}.${b64url({ sub, exp: now() + 3600 })}`;
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    return `${input}.${b64urlBytes(new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(input))))}`;
  }

  it("matches the Bearer scheme case-insensitively", async () => {
    const sku = await createSku({ stock: 5 });
    const token = (await shopperToken(unique("cust"))).slice("Bearer ".length);
    for (const scheme of ["bearer", "BEARER", "bEaReR"]) {
      expect((await call(`/v1/skus/${sku}/holds`, { auth: `${scheme} ${token}`, body: { quantity: 1 } })).status).toBe(201);
    }
    expect((await call(`/v1/skus/${sku}`, { auth: `bearer ${TEST_SECRETS.ADMIN_TOKEN}` })).body.onHand).toBe(5);
    expect(await levels(sku)).toMatchObject({ reserved: 3 });
  });

  it("refuses a JWT with a crit header, or alg none, and holds nothing", async () => {
    const sku = await createSku({ stock: 5 });
    const customer = unique("cust");
    const refused = [
      await jwt({ alg: "HS256", typ: "JWT", crit: ["exp"] }, customer),
      await jwt({ alg: "HS256", crit: [] }, customer),
      await jwt({ alg: "HS256", b64: false, crit: ["b64"] }, customer),
      `${b64url({ alg: "none", typ: "JWT" })}.${b64url({ sub: customer, exp: now() + 3600 })}.`,
    ];
    for (const token of refused) {
      expectProblem(await call(`/v1/skus/${sku}/holds`, { auth: `Bearer ${token}`, body: { quantity: 1 } }), 401, "unauthorized");
    }
    expect(await levels(sku)).toMatchObject({ reserved: 0 });
    // The same signing without `crit` is a good token: the refusal is for `crit` alone.
    expect(
      (await call(`/v1/skus/${sku}/holds`, { auth: `Bearer ${await jwt({ alg: "HS256", typ: "JWT" }, customer)}`, body: { quantity: 1 } }))
        .status,
    ).toBe(201);
  });
});
