import type { Shopper } from "./tokens.ts";

/**
 * HTTP calls the bench makes, all with Node's own fetch (undici) against the
 * loopback address Miniflare reports. Node's default dispatcher keeps
 * connections alive and opens as many per origin as there are requests in
 * flight, so 64 concurrent shoppers use 64 sockets with no extra Agent.
 */

/** What a load loop needs back from one request. */
export interface Reply {
  status: number;
  /** Set when the request created a hold and the caller asked for ids. */
  holdId?: string;
}

/** One kind of request a load loop sends on behalf of a shopper. */
export type Target = (shopper: Shopper) => Promise<Reply>;

const HOLD_BODY = JSON.stringify({ quantity: 1 });

/**
 * POST /v1/skus/{sku}/holds {quantity: 1} as the shopper: the product's hot path.
 * Only when `keepIds` is set is the reply parsed, because the scaling phase must
 * release what it created; otherwise the body is read and dropped.
 */
export function reserveTarget(baseUrl: string, sku: string, keepIds = false): Target {
  const url = `${baseUrl}/v1/skus/${encodeURIComponent(sku)}/holds`;
  return async (shopper) => {
    const res = await fetch(url, {
      method: "POST",
      headers: { authorization: shopper.authorization, "content-type": "application/json" },
      body: HOLD_BODY,
    });
    if (keepIds && res.status === 201) {
      const hold = (await res.json()) as { holdId: string };
      return { status: res.status, holdId: hold.holdId };
    }
    await res.arrayBuffer();
    return { status: res.status };
  };
}

/**
 * The ceiling: the same request shape (method, headers, body) as a reserve, so
 * the client and the wire cost the same, but the Worker only makes one RPC to
 * an object method that does nothing.
 */
export function noopTarget(baseUrl: string, key: string): Target {
  const url = `${baseUrl}/__bench/noop/${encodeURIComponent(key)}`;
  return async (shopper) => {
    const res = await fetch(url, {
      method: "POST",
      headers: { authorization: shopper.authorization, "content-type": "application/json" },
      body: HOLD_BODY,
    });
    await res.arrayBuffer();
    return { status: res.status };
  };
}

/** One RPC that writes one SQLite row: the ceiling plus the cost of a durable commit. */
export function oneWriteTarget(baseUrl: string, key: string): Target {
  const url = `${baseUrl}/__bench/write/${encodeURIComponent(key)}`;
  return async (shopper) => {
    const res = await fetch(url, {
      method: "POST",
      headers: { authorization: shopper.authorization, "content-type": "application/json" },
      body: HOLD_BODY,
    });
    await res.arrayBuffer();
    return { status: res.status };
  };
}

/** The SKU object's reserve RPC without the product's HTTP layer (no Hono, JWT or zod). */
export function directReserveTarget(baseUrl: string, sku: string): Target {
  const url = `${baseUrl}/__bench/reserve-direct/${encodeURIComponent(sku)}`;
  return async (shopper) => {
    const res = await fetch(url, {
      method: "POST",
      headers: {
        authorization: shopper.authorization,
        "content-type": "application/json",
        "x-bench-customer": shopper.customerId,
      },
      body: HOLD_BODY,
    });
    await res.arrayBuffer();
    return { status: res.status };
  };
}

/** The merchant's view of a SKU, as GET /v1/skus/{sku} returns it. */
export interface MerchantLevels {
  onHand: number;
  reserved: number;
  available: number;
  sold: number;
  received: number;
  liveHolds: number;
}

/** Merchant calls for setup, cleanup and the final accounting checks. */
export class MerchantApi {
  private readonly baseUrl: string;
  private readonly adminToken: string;

  constructor(baseUrl: string, adminToken: string) {
    this.baseUrl = baseUrl;
    this.adminToken = adminToken;
  }

  private async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.adminToken}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON; the caller reports the raw text.
    }
    return { status: res.status, body: parsed };
  }

  private async expect(status: number, method: string, path: string, body?: unknown): Promise<any> {
    const res = await this.call(method, path, body);
    if (res.status !== status) {
      throw new Error(`${method} ${path} returned ${res.status}, expected ${status}: ${JSON.stringify(res.body)}`);
    }
    return res.body;
  }

  /** Creates a list-price SKU: `alwaysOn` needs no sale and sets no per-customer limit. */
  async createSku(sku: string): Promise<void> {
    await this.expect(201, "PUT", `/v1/skus/${sku}`, {
      name: `Bench ${sku}`,
      price: { amount: 1999, currency: "usd" },
      alwaysOn: true,
    });
  }

  /** Adds `units` of stock, in as many calls as the API's per-call limit requires. */
  async restock(sku: string, units: number): Promise<void> {
    const perCall = 1_000_000;
    for (let left = units; left > 0; left -= perCall) {
      await this.expect(200, "POST", `/v1/skus/${sku}/adjustments`, { delta: Math.min(perCall, left), reason: "restock" });
    }
  }

  async levels(sku: string): Promise<MerchantLevels> {
    const b = await this.expect(200, "GET", `/v1/skus/${sku}`);
    return {
      onHand: b.onHand,
      reserved: b.reserved,
      available: b.available,
      sold: b.sold,
      received: b.received,
      liveHolds: b.liveHolds,
    };
  }

  /** Releases holds `concurrency` at a time; the merchant may release any hold. */
  async releaseAll(sku: string, holdIds: readonly string[], concurrency: number): Promise<void> {
    let next = 0;
    const worker = async () => {
      // Bounded by the list: each iteration takes one id.
      while (next < holdIds.length) {
        const holdId = holdIds[next++]!;
        await this.expect(200, "DELETE", `/v1/skus/${sku}/holds/${holdId}`);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  }
}
