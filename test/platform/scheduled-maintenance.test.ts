import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/worker";

const DAY_MS = 24 * 60 * 60 * 1000;

describe("scheduled maintenance", () => {
  it("prunes idempotency replies older than 24 h and webhook ids older than 30 days, keeping the rest", async () => {
    const now = Date.now();
    await env.DB.batch([
      env.DB.prepare("INSERT INTO idempotency_replies (key, request_hash, outcome, created_at_ms) VALUES (?, 'h', '{}', ?)").bind(
        "old",
        now - DAY_MS - 1,
      ),
      env.DB.prepare("INSERT INTO idempotency_replies (key, request_hash, outcome, created_at_ms) VALUES (?, 'h', '{}', ?)").bind(
        "new",
        now - 1_000,
      ),
      env.DB.prepare("INSERT INTO processed_webhooks (event_id, type, received_at_ms) VALUES (?, 't', ?)").bind(
        "evt_old",
        now - 31 * DAY_MS,
      ),
      env.DB.prepare("INSERT INTO processed_webhooks (event_id, type, received_at_ms) VALUES (?, 't', ?)").bind("evt_new", now - DAY_MS),
    ]);
    await worker.scheduled(createScheduledController({ scheduledTime: now, cron: "17 * * * *" }), env);
    const keys = await env.DB.prepare("SELECT key FROM idempotency_replies ORDER BY key").all<{ key: string }>();
    const events = await env.DB.prepare("SELECT event_id FROM processed_webhooks ORDER BY event_id").all<{ event_id: string }>();
    expect(keys.results.map((r) => r.key)).toEqual(["new"]);
    expect(events.results.map((r) => r.event_id)).toEqual(["evt_new"]);
  });

  it("forgets customer holds ended a day ago and live ones a re-sent event left a day past their deadline, keeping the rest", async () => {
    const now = Date.now();
    const row = (holdId: string, status: string, stage: number, expiresAtMs: number, updatedAtMs: number) =>
      env.DB.prepare(
        `INSERT INTO customer_holds (hold_id, customer_id, sku, quantity, status, stage, unit_amount, currency, created_at_ms, expires_at_ms, updated_at_ms)
         VALUES (?, 'prune-me', 'sku', 1, ?, ?, 100, 'usd', ?, ?, ?)`,
      ).bind(holdId, status, stage, updatedAtMs, expiresAtMs, updatedAtMs);
    await env.DB.batch([
      row("h_ended_old", "released", 2, now - 2 * DAY_MS, now - DAY_MS - 1),
      row("h_ended_new", "committed", 2, now, now - 1_000),
      row("h_stale_live", "held", 0, now - DAY_MS - 1, now - 2 * DAY_MS),
      row("h_live", "checkout", 1, now + 60_000, now - 2 * DAY_MS),
    ]);
    await worker.scheduled(createScheduledController({ scheduledTime: now, cron: "17 * * * *" }), env);
    const left = await env.DB.prepare("SELECT hold_id FROM customer_holds WHERE customer_id = 'prune-me' ORDER BY hold_id").all<{
      hold_id: string;
    }>();
    expect(left.results.map((r) => r.hold_id)).toEqual(["h_ended_new", "h_live"]);
  });
});
