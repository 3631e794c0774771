import { env } from "cloudflare:workers";
import { createMessageBatch } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { handleNotifications } from "../../src/notifications/consumer";
import type { ReceivedWebhook } from "../support/fake-merchant";
import { ADMIN, call, expectProblem, unique } from "../support/helpers";
import { TEST_SECRETS } from "../support/secrets";

/**
 * Spec §12: the merchant webhook may have several active signing secrets
 * during a rotation. Deliveries go through the real consumer to the fake
 * merchant (test/support/fake-merchant.ts), and the receiver's side is the
 * `standardwebhooks` library a merchant would use, holding one secret.
 */

async function deliver(): Promise<ReceivedWebhook> {
  const path = `/hooks/${unique("rotation")}`;
  const batch = createMessageBatch<unknown>("holdfast-notifications", [
    {
      id: unique("msg"),
      timestamp: new Date(),
      attempts: 1,
      body: {
        id: unique("ntf"),
        audience: "merchant",
        type: "stock.low",
        sku: "tee",
        data: { available: 3, onHand: 5, threshold: 10 },
        atMs: Date.now(),
      },
    },
  ]);
  await handleNotifications(batch, { ...env, MERCHANT_WEBHOOK_URL: `https://merchant.test${path}` });
  const received: ReceivedWebhook[] = await (await fetch(`https://merchant.test/__received?path=${encodeURIComponent(path)}`)).json();
  expect(received).toHaveLength(1);
  return received[0]!;
}

function verifiesWith(secret: string, hook: ReceivedWebhook): boolean {
  try {
    new Webhook(secret).verify(hook.body, hook.headers);
    return true;
  } catch {
    return false;
  }
}

describe("webhook signing secrets", () => {
  it("rotate: during the overlap a receiver with either secret verifies, after it only the new one", async () => {
    const old = TEST_SECRETS.MERCHANT_WEBHOOK_SECRET;
    expect(verifiesWith(old, await deliver())).toBe(true);

    const added = await call("/v1/webhook-secrets", { method: "POST", auth: ADMIN });
    expect(added.status).toBe(201);
    expect(added.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const fresh: string = added.body.secret;

    const overlap = await deliver();
    expect(overlap.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(verifiesWith(old, overlap)).toBe(true);
    expect(verifiesWith(fresh, overlap)).toBe(true);

    const listed = await call("/v1/webhook-secrets", { auth: ADMIN });
    expect(listed.body.data.map((s: { secretId: string; retiredAt: string | null }) => [s.secretId, s.retiredAt])).toEqual([
      ["env", null],
      [added.body.secretId, null],
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(fresh);

    const retired = await call("/v1/webhook-secrets/env", { method: "DELETE", auth: ADMIN });
    expect(retired.status).toBe(200);
    expect(retired.body.retiredAt).not.toBeNull();

    const after = await deliver();
    expect(verifiesWith(old, after)).toBe(false);
    expect(verifiesWith(fresh, after)).toBe(true);

    // The last active secret stays: retiring it would leave deliveries unsigned.
    expectProblem(
      await call(`/v1/webhook-secrets/${added.body.secretId}`, { method: "DELETE", auth: ADMIN }),
      409,
      "signing_secret_conflict",
    );
    expectProblem(await call("/v1/webhook-secrets/whs_0000000000000000", { method: "DELETE", auth: ADMIN }), 404, "not_found");
  });
});
