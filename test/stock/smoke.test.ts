import { describe, expect, it } from "vitest";
import { ADMIN, call, createSku, hold, levels } from "../support/helpers";

describe("smoke", () => {
  it("creates, restocks, holds and releases", async () => {
    const sku = await createSku({ stock: 10 });
    const h = await hold(sku, "alice", 3);
    expect(h.status).toBe(201);
    expect(await levels(sku)).toEqual({ onHand: 10, reserved: 3, available: 7, sold: 0, received: 10 });
    const del = await call(`/v1/skus/${sku}/holds/${h.body.holdId}`, { method: "DELETE", auth: ADMIN });
    expect(del.body.status).toBe("released");
    expect(await levels(sku)).toEqual({ onHand: 10, reserved: 0, available: 10, sold: 0, received: 10 });
  });
});
