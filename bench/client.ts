import type { Shopper } from "./tokens.ts";
import type { EscrowPolicy } from "./sim.ts";

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
  /**
   * The `holdfast-cache` reply header (`hit`, `miss`, `stale`, or `none` when
   * absent), set only by targets that serve from the edge cache, so the load
   * loop tallies how often the object was spared.
   */
  cache?: string;
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
  return postLikeReserve(holdsUrl(baseUrl, sku), undefined, async (res) => {
    if (keepIds && res.status === 201) return { status: res.status, holdId: ((await res.json()) as { holdId: string }).holdId };
    await res.arrayBuffer();
    return { status: res.status };
  });
}

/**
 * PATCH /v1/skus/{sku}/holds/{holdId} as the shopper (spec §3): their one hold
 * on the SKU, one unit more then one fewer in turn, so the hold and the SKU's
 * stock stay level however long it runs. A shopper's first call takes the hold
 * (a POST, as reserve does: warm-up makes them); a hold that ended is taken again.
 */
export function changeTarget(baseUrl: string, sku: string): Target {
  const holds = new Map<string, { holdId: string; quantity: number }>();
  return async (shopper) => {
    const mine = holds.get(shopper.customerId);
    if (!mine) {
      const reply = await reserveTarget(baseUrl, sku, true)(shopper);
      if (reply.holdId) holds.set(shopper.customerId, { holdId: reply.holdId, quantity: 1 });
      return { status: reply.status };
    }
    const quantity = mine.quantity === 1 ? 2 : 1;
    const res = await fetch(`${holdsUrl(baseUrl, sku)}/${encodeURIComponent(mine.holdId)}`, {
      method: "PATCH",
      headers: { authorization: shopper.authorization, "content-type": "application/json" },
      body: JSON.stringify({ quantity }),
    });
    await res.arrayBuffer();
    if (res.status === 200) mine.quantity = quantity;
    else if (res.status === 410 || res.status === 404) holds.delete(shopper.customerId);
    return { status: res.status };
  };
}

/**
 * The ceiling: the same request shape (method, headers, body) as a reserve, so
 * the client and the wire cost the same, but the Worker only makes one RPC to
 * an object method that does nothing.
 */
export function noopTarget(baseUrl: string, key: string): Target {
  return postLikeReserve(`${baseUrl}/__bench/noop/${encodeURIComponent(key)}`);
}

type ReadReply = (res: Response) => Promise<Reply>;

const statusOnly: ReadReply = async (res) => {
  await res.arrayBuffer();
  return { status: res.status };
};

export function holdsUrl(baseUrl: string, sku: string): string {
  return `${baseUrl}/v1/skus/${encodeURIComponent(sku)}/holds`;
}

/** POSTs a reserve-shaped request (same headers and body), so only the server side differs between targets. */
function postLikeReserve(
  url: string,
  extraHeaders: (shopper: Shopper) => Record<string, string> = () => ({}),
  read: ReadReply = statusOnly,
): Target {
  return async (shopper) =>
    read(
      await fetch(url, {
        method: "POST",
        headers: { authorization: shopper.authorization, "content-type": "application/json", ...extraHeaders(shopper) },
        body: HOLD_BODY,
      }),
    );
}

/** One RPC that writes one SQLite row: the ceiling plus the cost of a durable commit. */
export function oneWriteTarget(baseUrl: string, key: string): Target {
  return postLikeReserve(`${baseUrl}/__bench/write/${encodeURIComponent(key)}`);
}

/** The SKU object's reserve RPC without the product's HTTP layer (no Hono, JWT or zod). */
export function directReserveTarget(baseUrl: string, sku: string): Target {
  return postLikeReserve(`${baseUrl}/__bench/reserve-direct/${encodeURIComponent(sku)}`, (shopper) => ({
    "x-bench-customer": shopper.customerId,
  }));
}

/** The reserve RPC on one variant of the SKU object (bench/instruments.ts), without the HTTP layer. */
export function instrumentsTarget(baseUrl: string, variant: string, sku: string): Target {
  return postLikeReserve(`${baseUrl}/__bench/instruments/${variant}/${encodeURIComponent(sku)}`, (shopper) => ({
    "x-bench-customer": shopper.customerId,
  }));
}

/**
 * The edge ceiling: GET /__bench/echo, which the bench Worker answers with a
 * small JSON body shaped like a public SKU view, touching no object, no cache
 * and none of the product's middleware.
 */
export function echoTarget(baseUrl: string): Target {
  const url = `${baseUrl}/__bench/echo`;
  return async () => {
    const res = await fetch(url);
    await res.arrayBuffer();
    return { status: res.status };
  };
}

/** An anonymous shopper's GET /v1/skus/{sku}: the public view, served from the edge cache when fresh. */
export function publicReadTarget(baseUrl: string, sku: string): Target {
  const url = `${baseUrl}/v1/skus/${encodeURIComponent(sku)}`;
  return async () => {
    const res = await fetch(url);
    await res.arrayBuffer();
    return { status: res.status, cache: res.headers.get("holdfast-cache") ?? "none" };
  };
}

/**
 * GET /__bench/cache-match/:key: the echo plus one Cache API lookup that hits
 * (the probe stores its entry on a miss), so what Miniflare's cache service
 * costs per lookup can be told apart from the product's own code.
 */
export function cacheMatchTarget(baseUrl: string, key: string): Target {
  const url = `${baseUrl}/__bench/cache-match/${encodeURIComponent(key)}`;
  return async () => {
    const res = await fetch(url);
    await res.arrayBuffer();
    return { status: res.status, cache: res.headers.get("holdfast-cache") ?? "none" };
  };
}

/**
 * A hold attempt as the shopper (the same request as `reserveTarget`) that
 * also reports `holdfast-cache`: `hit` when the edge refused it from a cached
 * verdict without calling the SKU object.
 */
export function holdAttemptTarget(baseUrl: string, sku: string): Target {
  // A fresh Idempotency-Key per attempt, as a shopper's client sends: the edge cut
  // must still spare the object these (spec §6 lets only a possible retry through).
  return postLikeReserve(
    holdsUrl(baseUrl, sku),
    () => ({ "idempotency-key": crypto.randomUUID() }),
    async (res) => {
      await res.arrayBuffer();
      return { status: res.status, cache: res.headers.get("holdfast-cache") ?? "none" };
    },
  );
}

/**
 * Every call of `target` as the next of `customers`, whichever shopper's loop
 * sends it: the load keeps its concurrency while each hold comes from a
 * distinct customer (cycling once the list is used up).
 */
export function asDistinctCustomers(target: Target, customers: readonly Shopper[]): Target {
  if (customers.length === 0) throw new Error("no customers");
  let next = 0;
  return () => target(customers[next++ % customers.length]!);
}

/** The `reserve` RPC on the customer's stock shard of a SKU split into `shards`, without the HTTP layer. */
export function shardReserveTarget(baseUrl: string, sku: string, shards: number): Target {
  return postLikeReserve(`${baseUrl}/__bench/reserve-shard/${encodeURIComponent(sku)}?shards=${shards}`, (shopper) => ({
    "x-bench-customer": shopper.customerId,
  }));
}

/**
 * One refill of a shard from its pool and the give-back of its free units
 * (six escrow RPCs), on the shard `shardOf` picks for the shopper.
 */
export function transferTarget(baseUrl: string, sku: string, shardOf: (shopper: Shopper) => number): Target {
  return async (shopper) => {
    const res = await fetch(`${baseUrl}/__bench/transfer/${encodeURIComponent(sku)}/${shardOf(shopper)}`, { method: "POST" });
    await res.arrayBuffer();
    return { status: res.status };
  };
}

/** One hold attempt's answer, read in full: what a stampede needs to judge each reply. */
export interface HoldAnswer {
  status: number;
  /** The problem's `code` on a refusal (e.g. `sold_out`, `unavailable`). */
  code?: string;
  holdId?: string;
  /** The hold's `createdAt` (epoch ms): when the object reserved the unit, by this machine's clock. */
  createdAtMs?: number;
  /** `holdfast-cache`: `hit` when the edge answered from a cached verdict. */
  cache: string;
}

/** POST /v1/skus/{sku}/holds {quantity: 1} as the shopper, with the reply's code or hold id. */
export async function tryHold(baseUrl: string, sku: string, shopper: Shopper): Promise<HoldAnswer> {
  const res = await fetch(holdsUrl(baseUrl, sku), {
    method: "POST",
    headers: { authorization: shopper.authorization, "content-type": "application/json" },
    body: HOLD_BODY,
  });
  const text = await res.text();
  let body: { code?: unknown; holdId?: unknown; createdAt?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // Not JSON (e.g. a runtime error page): the status alone tells.
  }
  return {
    status: res.status,
    ...(typeof body.code === "string" ? { code: body.code } : {}),
    ...(typeof body.holdId === "string" ? { holdId: body.holdId } : {}),
    ...(typeof body.createdAt === "string" ? { createdAtMs: Date.parse(body.createdAt) } : {}),
    cache: res.headers.get("holdfast-cache") ?? "none",
  };
}

/** The escrow's constants as the running build has them (bench/worker.ts). */
export async function escrowPolicy(baseUrl: string): Promise<EscrowPolicy> {
  const res = await fetch(`${baseUrl}/__bench/escrow-policy`);
  if (res.status !== 200) throw new Error(`GET /__bench/escrow-policy returned ${res.status}`);
  return (await res.json()) as EscrowPolicy;
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

/** `escrow` of GET /v1/skus/{sku}/stats (spec §8). */
export interface EscrowStats {
  shards: number;
  inFlight: number;
  poolCalls: number;
  audit: { ok: boolean; problems: string[] };
}

/** Merchant calls for setup, cleanup and the final accounting checks. */
export class MerchantApi {
  private readonly baseUrl: string;
  readonly adminToken: string;

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

  /**
   * Creates a list-price SKU: `alwaysOn` needs no sale and sets no per-customer
   * limit. With `shards`, its stock is split across that many stock shards (spec §8).
   */
  async createSku(sku: string, shards?: number): Promise<void> {
    await this.expect(201, "PUT", `/v1/skus/${sku}`, {
      name: `Bench ${sku}`,
      price: { amount: 1999, currency: "usd" },
      alwaysOn: true,
      ...(shards === undefined ? {} : { shards }),
    });
  }

  /** The stock shards' part of GET /v1/skus/{sku}/stats: pool calls, units in flight and the cross-shard audit. */
  async escrow(sku: string): Promise<EscrowStats> {
    const b = await this.expect(200, "GET", `/v1/skus/${sku}/stats`);
    if (typeof b?.escrow?.poolCalls !== "number") throw new Error(`GET /v1/skus/${sku}/stats has no escrow figures: ${JSON.stringify(b)}`);
    return b.escrow as EscrowStats;
  }

  /** Creates a sale (PUT /v1/sales/{saleId}, 201). */
  async createSale(saleId: string, body: unknown): Promise<void> {
    await this.expect(201, "PUT", `/v1/sales/${saleId}`, body);
  }

  /** Adds `units` of stock, in as many calls as the API's per-call limit requires. */
  async restock(sku: string, units: number): Promise<void> {
    const perCall = 1_000_000;
    for (let left = units; left > 0; left -= perCall) {
      await this.expect(200, "POST", `/v1/skus/${sku}/adjustments`, { delta: Math.min(perCall, left), reason: "restock" });
    }
  }

  /** Registers (or replaces) a location: PUT /v1/locations/{id}, 201 or 200 (spec §11). */
  async putLocation(locationId: string, body: { name: string; country: string; latitude: number; longitude: number }): Promise<void> {
    const res = await this.call("PUT", `/v1/locations/${locationId}`, body);
    if (res.status !== 201 && res.status !== 200)
      throw new Error(`PUT /v1/locations/${locationId} returned ${res.status}: ${JSON.stringify(res.body)}`);
  }

  /** Adds `units` at one location of the SKU (an adjustment naming it). */
  async stockAt(sku: string, location: string, units: number): Promise<void> {
    await this.expect(200, "POST", `/v1/skus/${sku}/adjustments`, { delta: units, reason: "restock", location });
  }

  /** Each location's reserved units, from the merchant view of the SKU. */
  async reservedByLocation(sku: string): Promise<Record<string, number>> {
    const b = await this.expect(200, "GET", `/v1/skus/${sku}`);
    const locations = (b?.locations ?? []) as { location: string; reserved: number }[];
    return Object.fromEntries(locations.map((l) => [l.location, l.reserved]));
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

  /** Holds the SKU's object has committed, from its own counters (GET /v1/skus/{sku}/stats). */
  async committedHolds(sku: string): Promise<number> {
    const b = await this.expect(200, "GET", `/v1/skus/${sku}/stats`);
    return b.holds.committed;
  }

  /**
   * Every order in `status` with an item on `sku`, from D1 through the
   * merchant's listing, page by page (bounded by `maxPages`). Pages of 50 (the
   * API's default): with more than 100 orders on a page the listing's item
   * lookup binds more than D1's 100 parameters per query and answers 500.
   */
  async ordersOf(
    sku: string,
    status: string,
    maxPages = 1_000,
  ): Promise<Array<{ orderId: string; items: Array<{ sku: string; quantity: number; holdId: string }> }>> {
    const out: Array<{ orderId: string; items: Array<{ sku: string; quantity: number; holdId: string }> }> = [];
    let cursor: string | null = null;
    for (let page = 0; page < maxPages; page++) {
      const query = new URLSearchParams({ status, sku, limit: "50", ...(cursor ? { cursor } : {}) });
      const b = await this.expect(200, "GET", `/v1/orders?${query}`);
      out.push(...(b.data as typeof out));
      cursor = b.nextCursor;
      if (!cursor) return out;
    }
    throw new Error(`listing ${status} orders of ${sku} did not end within ${maxPages} pages`);
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
