/**
 * The audit's reading of the service at rest: the merchant views of every SKU,
 * every hold, then the views again, until no level moved in between (bounded).
 * With the load over, moves are rare but real (an order's payment deadline
 * voids its holds, a late payment commits them), and a hold that ended
 * between a view and its own read would be miscounted against that view. If
 * the levels never hold still, the audit's rule for expiries still applies.
 */
import type { Client } from "./client.ts";
import { mapLimit } from "./audit-parts.ts";
import { CATALOG } from "./load.ts";
import { getJson } from "./settle.ts";

/** Rounds of views-holds-views read before the audit takes what it has (each round reads every hold). */
const SNAPSHOT_ROUNDS_MAX = 5;

type Read = { status: number; body: any } | null;
export type Views = Map<string, { at: number; view: Read; stats: Read }>;
export type Holds = Map<string, (Read & { at: number }) | null>;

export async function readStill(
  client: Client,
  admin: string,
  holdIds: ReadonlySet<string>,
  skuOf: (holdId: string) => string,
): Promise<{ views: Views; current: Holds; rounds: number }> {
  let views = await readViews(client, admin);
  let current: Holds = new Map();
  let rounds = 0;
  while (rounds < SNAPSHOT_ROUNDS_MAX) {
    rounds++;
    current = await readHolds(client, admin, holdIds, skuOf);
    const after = await readViews(client, admin);
    if (CATALOG.every(({ sku }) => levelsOf(views.get(sku)!.view) === levelsOf(after.get(sku)!.view))) break;
    views = after;
  }
  return { views, current, rounds };
}

async function readHolds(client: Client, admin: string, holdIds: ReadonlySet<string>, skuOf: (holdId: string) => string): Promise<Holds> {
  const current: Holds = new Map();
  await mapLimit([...holdIds], 6, async (id) => {
    const got = await getJson(client, { path: `/v1/skus/${skuOf(id)}/holds/${id}`, token: admin });
    current.set(id, got && { ...got, at: Date.now() });
  });
  return current;
}

async function readViews(client: Client, admin: string): Promise<Views> {
  const views: Views = new Map();
  for (const { sku } of CATALOG) {
    const at = Date.now();
    views.set(sku, {
      at,
      view: await getJson(client, { path: `/v1/skus/${sku}`, token: admin }),
      stats: await getJson(client, { path: `/v1/skus/${sku}/stats`, token: admin }),
    });
  }
  return views;
}

/** The levels a view shows, as one comparable string (null when there was no view). */
function levelsOf(view: Read): string | null {
  if (view?.status !== 200) return null;
  const { onHand, reserved, sold, received, returned, available } = view.body;
  return JSON.stringify([onHand, reserved, sold, received, returned, available]);
}
