import { describe, expect, it } from "vitest";
import { ADMIN, call } from "../support/helpers";

/** Its own file: D1 is per file, and this needs a long history of secrets and `env` not yet retired. */
describe("webhook signing secrets after a long history", () => {
  it("still knows which are active once more than 100 were added and retired (the schema fuzzer's 500)", async () => {
    let previous: string | null = null;
    for (let i = 0; i < 101; i++) {
      const added = await call("/v1/webhook-secrets", { method: "POST", auth: ADMIN });
      expect(added.status).toBe(201);
      if (previous) expect((await call(`/v1/webhook-secrets/${previous}`, { method: "DELETE", auth: ADMIN })).status).toBe(200);
      previous = added.body.secretId;
    }
    expect((await call("/v1/webhook-secrets/env", { method: "DELETE", auth: ADMIN })).status).toBe(200);
    const again = await call("/v1/webhook-secrets/env", { method: "DELETE", auth: ADMIN });
    expect(again.status).toBe(200);
    expect(again.body.retiredAt).not.toBeNull();
    // The one added last is the only one left signing, so it cannot be retired.
    expect((await call(`/v1/webhook-secrets/${previous}`, { method: "DELETE", auth: ADMIN })).status).toBe(409);
  });
});
