import type { Outcome } from "../domain/problems";
import type { Hold } from "../domain/types";
import type { SkuLedger } from "./ledger";

/**
 * Dev tools' "expire this hold now" (DEV_TOOLS=on): the hold's deadline is
 * brought forward to now, then the ledger's own read settles it, so the hold
 * ends through the one expiry transition there is (`endHold`: reserved units
 * freed, invariants checked, `hold.expired` audited and shipped), never a side
 * door. An ended hold is returned as it is.
 */
export function expireHoldNow(ledger: SkuLedger, holdId: string, now_ms: number): Outcome<Hold> {
  return ledger.tables.tx(() => {
    const hold = ledger.tables.hold(holdId);
    if (hold && hold.expires_at_ms > now_ms) ledger.tables.moveDeadline(holdId, now_ms);
    return ledger.getHold(holdId, "merchant", now_ms);
  });
}
