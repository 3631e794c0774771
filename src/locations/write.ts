import { accept, type Outcome } from "../domain/problems";
import type { MerchantActor } from "../domain/roles";
import { pushLocation } from "./push";
import { putLocation, withPushState, type LocationInput, type LocationView } from "./registry";

/**
 * `PUT /v1/locations/{id}` as one operation, the unit its Idempotency-Key
 * replays: the registry's write with its audit event (./registry.ts), then,
 * after a real change, the push of the new profile to the SKU objects
 * stocking the location (./push.ts; the cron's sweep finishes what it
 * leaves), and the location as the API shows it.
 */
export async function writeLocation(
  env: Env,
  locationId: string,
  input: LocationInput,
  write: { ifMatch: number | null; actor: MerchantActor; now_ms: number },
): Promise<Outcome<{ created: boolean; location: LocationView }>> {
  const written = await putLocation(env.DB, locationId, input, write);
  if (!written.ok) return written;
  const { created, changed, row } = written.value;
  if (changed) await pushLocation(env, { ...input, locationId, revision: row.revision }, write.now_ms);
  const [location] = await withPushState(env.DB, [row]);
  return accept({ created, location: location! });
}
