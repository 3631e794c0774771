import { accept, refuse, type Outcome } from "../domain/problems";
import { callObject } from "../platform/object-call";
import { coordinatorName } from "../waiting-room/config";
import { addActivity } from "../stock/sale-activity";
import { getSale, type SaleView } from "./store";

/** The window of the board's hold rate: holds created in the last minute, counted, not extrapolated. */
export const BOARD_RECENT_MS = 60_000;

export interface SaleBoard {
  sale: SaleView;
  at: string;
  recentSeconds: number;
  items: Array<{
    sku: string;
    available: number | null;
    status: SaleView["items"][number]["status"];
    /** This sale's holds created in the last `recentSeconds`. */
    holdsRecent: number;
    /** This sale's holds created since it started, and how many of them expired. */
    holdsCreated: number;
    holdsExpired: number;
    /** Refused hold requests of this sale's shoppers since it started, by problem code (object refusals only). */
    refusals: Record<string, number>;
  }>;
  /** The waiting room's line, for a sale that has one. */
  queue: { mode: string; waiting: number; admitted: number; closed: string | null } | null;
}

/**
 * The live sale board (issue 21): every figure about this sale alone, read
 * from where its truth lives (each SKU's object for holds and refusals, the
 * waiting room's coordinator for the line), on the server's clock.
 */
export async function saleBoard(env: Env, saleId: string, now_ms: number): Promise<Outcome<SaleBoard>> {
  const sale = await getSale(env, saleId, now_ms);
  if (!sale) return refuse("not_found", `No sale "${saleId}".`);
  const since_ms = Date.parse(sale.startsAt);
  const [activity, queue] = await Promise.all([
    Promise.all(sale.items.map((i) => callObject(env, () => env.SKU.getByName(i.sku).saleActivity(saleId, since_ms, BOARD_RECENT_MS)))),
    sale.queue ? callObject(env, () => env.WAITING_ROOM.getByName(coordinatorName(saleId)).state()) : null,
  ]);
  return accept({
    sale,
    at: new Date(now_ms).toISOString(),
    recentSeconds: BOARD_RECENT_MS / 1000,
    items: sale.items.map((item, i) => {
      const a = addActivity([activity[i] ?? null]);
      return {
        sku: item.sku,
        available: item.available,
        status: item.status,
        holdsRecent: a.createdRecently,
        holdsCreated: a.created,
        holdsExpired: a.expired,
        refusals: a.refusals,
      };
    }),
    queue: queue
      ? { mode: queue.mode, waiting: queue.waiting, admitted: queue.admitted, closed: queue.closed }
      : sale.queue
        ? { mode: sale.queue.mode, waiting: 0, admitted: 0, closed: null }
        : null,
  });
}
