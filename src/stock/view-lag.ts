import type { InventoryDriftNotification } from "../notifications/messages";

/**
 * How far the global view (D1, spec §11) may trail a SKU's object before the
 * merchant is told: past this, the object's oldest event not yet in D1 raises
 * an `inventory.drift` notification with reason `lag`.
 */
export const VIEW_LAG_MAX_MS = 5 * 60_000;

/**
 * The view's lag behind one object: for how long D1 has been missing a
 * change the object made (now minus the time of the oldest event not yet
 * shipped), 0 when D1 holds every event. A quiet SKU whose events all
 * shipped has no lag however old its last change.
 */
export function viewLagMs(oldestUnshippedAtMs: number | null, now_ms: number): number {
  return oldestUnshippedAtMs === null ? 0 : Math.max(0, now_ms - oldestUnshippedAtMs);
}

/**
 * The lag notification of an object whose oldest unshipped event is older
 * than VIEW_LAG_MAX_MS, else null. Its id names the oldest unshipped event
 * (its seq in the object's audit stream),
 * so the shipper's retries while it stays stuck repeat one notification,
 * which consumers drop, and the next stuck episode raises a new one.
 */
export function lagNotification(
  object: { object: string; sku: string },
  oldest: { seq: number; atMs: number } | null,
  pending: number,
  now_ms: number,
): InventoryDriftNotification | null {
  const lagMs = viewLagMs(oldest?.atMs ?? null, now_ms);
  if (!oldest || lagMs <= VIEW_LAG_MAX_MS) return null;
  return {
    id: `inventory-lag:${object.object}:${oldest.seq}`,
    audience: "merchant",
    type: "inventory.drift",
    sku: object.sku,
    data: { reason: "lag", count: pending, lagMs },
    atMs: now_ms,
  };
}
