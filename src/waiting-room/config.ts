import { z } from "@hono/zod-openapi";
import { envNumber } from "../platform/env-number";

/** A sale's waiting room as the merchant sets it (spec §9). */
export const QueueSettings = z
  .strictObject({
    mode: z
      .enum(["fifo", "lottery"])
      .openapi({ description: "`fifo`: arrival order. `lottery`: the pre-queue is ordered by a published draw." }),
    prequeueSeconds: z
      .number()
      .int()
      .min(0)
      .max(86_400)
      .optional()
      .openapi({ description: "Shoppers may join this long before `startsAt`; default 600." }),
    admitSeconds: z
      .number()
      .int()
      .min(10)
      .max(3_600)
      .optional()
      .openapi({ description: "How long an admission stays valid; unused, it lapses and the next waiter is admitted. Default 300." }),
  })
  .openapi("QueueSettings");

export type QueueSettings = z.infer<typeof QueueSettings>;

/** The waiting room as a sale shows it, defaults filled in. */
export const QueueView = z
  .object({ mode: z.enum(["fifo", "lottery"]), prequeueSeconds: z.number().int(), admitSeconds: z.number().int() })
  .openapi("SaleQueue");

export const DEFAULT_PREQUEUE_SECONDS = 600;
export const DEFAULT_ADMIT_SECONDS = 300;

/** What the sale's queue object is told on every write of the sale. */
export interface QueueSetup {
  saleId: string;
  revision: number;
  /** Null: the sale has no waiting room (any more). */
  settings: Required<QueueSettings> | null;
  startsAtMs: number;
  endsAtMs: number;
  skus: string[];
  joinShards: number;
}

export function withDefaults(settings: QueueSettings): Required<QueueSettings> {
  return {
    mode: settings.mode,
    prequeueSeconds: settings.prequeueSeconds ?? DEFAULT_PREQUEUE_SECONDS,
    admitSeconds: settings.admitSeconds ?? DEFAULT_ADMIT_SECONDS,
  };
}

export const JOIN_SHARDS_MAX = 64;

export function joinShardCount(env: Env): number {
  return envNumber(env.QUEUE_JOIN_SHARDS, 16, { min: 1, max: JOIN_SHARDS_MAX, integer: true });
}

/** The coordinator of a sale's queue, and its join shards, are one class under distinct names. */
export function coordinatorName(saleId: string): string {
  return saleId;
}

export function joinShardName(saleId: string, shard: number): string {
  return `${saleId}#join-${shard}`;
}
