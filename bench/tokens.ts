import { createHmac } from "node:crypto";

/**
 * Shopper credentials: HS256 JWTs with the two claims the API requires (`sub`,
 * `exp`). Signed once up front so the load loops spend no client CPU on them.
 */

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString("base64url");
}

export function signShopperJwt(customerId: string, secret: string, ttlSeconds: number): string {
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(JSON.stringify({ sub: customerId, exp: Math.floor(Date.now() / 1000) + ttlSeconds }));
  const signature = createHmac("sha256", secret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

export interface Shopper {
  customerId: string;
  /** The full Authorization header value. */
  authorization: string;
}

/** `count` distinct shoppers whose tokens stay valid for the whole run. */
export function makeShoppers(count: number, secret: string): Shopper[] {
  return makeCustomers(count, secret, "bench-shopper-", 3);
}

/** `count` distinct customers `<prefix><i>` (i zero-padded to `digits`), each with a token valid for the run. */
export function makeCustomers(count: number, secret: string, prefix: string, digits = 6): Shopper[] {
  return Array.from({ length: count }, (_, i) => {
    const customerId = `${prefix}${String(i).padStart(digits, "0")}`;
    // An hour is far longer than the run, so no token expires mid-phase.
    return { customerId, authorization: `Bearer ${signShopperJwt(customerId, secret, 3600)}` };
  });
}
