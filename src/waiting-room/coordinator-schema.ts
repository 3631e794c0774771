import type { QueueMode } from "./place";

/** The queue object's own tables (./coordinator.ts); each SKU's line is in COORDINATOR_LINES_STEPS. */
export const COORDINATOR_STEPS = [
  `CREATE TABLE queue_config (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    sale_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    enabled INTEGER NOT NULL,
    mode TEXT NOT NULL,
    starts_at_ms INTEGER NOT NULL,
    ends_at_ms INTEGER NOT NULL,
    prequeue_seconds INTEGER NOT NULL,
    admit_seconds INTEGER NOT NULL,
    skus TEXT NOT NULL,
    join_shards INTEGER NOT NULL,
    seed TEXT NOT NULL,
    commitment TEXT NOT NULL,
    frontier TEXT,
    expired_frontier TEXT,
    admitted_total INTEGER NOT NULL DEFAULT 0,
    admitted_expired INTEGER NOT NULL DEFAULT 0,
    closed TEXT,
    all_held INTEGER NOT NULL DEFAULT 0,
    waiting INTEGER NOT NULL DEFAULT 0,
    -- nobody waited at the last tick: no tick until a join wakes the queue (or the sale ends)
    idle INTEGER NOT NULL DEFAULT 0,
    woken_at_ms INTEGER NOT NULL DEFAULT 0,
    ticked_at_ms INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE queue_batches (at_ms INTEGER PRIMARY KEY, frontier TEXT NOT NULL, admitted INTEGER NOT NULL);`,
];

/**
 * Appended after every earlier step of the object (waiting-room-object.ts):
 * each SKU of the sale is its own line with its own frontier, admitted within
 * what that SKU's stock allows (spec §9). The sale-wide frontier columns of
 * queue_config and queue_batches are no longer written.
 */
export const COORDINATOR_LINES_STEPS = [
  `CREATE TABLE queue_lines (
    sku TEXT PRIMARY KEY,
    frontier TEXT,
    expired_frontier TEXT,
    admitted_total INTEGER NOT NULL DEFAULT 0,
    admitted_expired INTEGER NOT NULL DEFAULT 0,
    waiting INTEGER NOT NULL DEFAULT 0,
    sold_out INTEGER NOT NULL DEFAULT 0,
    all_held INTEGER NOT NULL DEFAULT 0,
    line TEXT NOT NULL DEFAULT '[]'
  );
  CREATE TABLE line_batches (sku TEXT NOT NULL, at_ms INTEGER NOT NULL, frontier TEXT NOT NULL, admitted INTEGER NOT NULL, PRIMARY KEY (sku, at_ms));
  ALTER TABLE queue_config ADD COLUMN purged INTEGER NOT NULL DEFAULT 0;`,
];

export type ConfigRow = {
  sale_id: string;
  revision: number;
  enabled: number;
  mode: QueueMode;
  starts_at_ms: number;
  ends_at_ms: number;
  prequeue_seconds: number;
  admit_seconds: number;
  skus: string;
  join_shards: number;
  seed: string;
  commitment: string;
  frontier: string | null;
  expired_frontier: string | null;
  admitted_total: number;
  admitted_expired: number;
  closed: "sold_out" | "ended" | null;
  all_held: number;
  waiting: number;
  /** JSON of the merged line (./line.ts), from the last tick's surveys. */
  line: string;
  idle: number;
  woken_at_ms: number;
  ticked_at_ms: number;
  purged: number;
};

export type LineRow = {
  sku: string;
  frontier: string | null;
  expired_frontier: string | null;
  admitted_total: number;
  admitted_expired: number;
  waiting: number;
  sold_out: number;
  all_held: number;
  line: string;
};

/** A line nobody has joined yet. */
export function freshLine(sku: string): LineRow {
  return {
    sku,
    frontier: null,
    expired_frontier: null,
    admitted_total: 0,
    admitted_expired: 0,
    waiting: 0,
    sold_out: 0,
    all_held: 0,
    line: "[]",
  };
}
