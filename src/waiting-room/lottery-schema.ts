/**
 * The queue object's draw table (./lottery.ts): one row per draw (epoch).
 * LOTTERY_STEPS sits before the lottery shard's steps in the object's one
 * list, LOTTERY_LATER_STEPS after them (src/objects/waiting-room-object.ts).
 */
export const LOTTERY_STEPS = [
  `CREATE TABLE lottery_draws (
    epoch INTEGER PRIMARY KEY,
    starts_at_ms INTEGER NOT NULL,
    closes_at_ms INTEGER NOT NULL,
    -- a later epoch than what the shards hold: they must reopen before anything else
    reopen INTEGER NOT NULL,
    committed_at_ms INTEGER,
    root TEXT,
    entrants INTEGER,
    shards TEXT,
    round INTEGER,
    randomness TEXT,
    signature TEXT,
    tried_at_ms INTEGER NOT NULL DEFAULT 0,
    drawn_at_ms INTEGER
  );`,
];

/**
 * Appended after the lottery shard's steps (the object's version counts one
 * list: docs/waiting-room.md). The first sat in LOTTERY_STEPS for one deploy,
 * which made an object set up before it replay a shard step and fail.
 */
export const LOTTERY_LATER_STEPS = [
  // The draw names places in order across all shards (./shuffle.ts): how many are written.
  "ALTER TABLE lottery_draws ADD COLUMN placed INTEGER NOT NULL DEFAULT 0",
  // When the round was in and verified, and when the first places were written (the bench's breakdown reads them).
  `ALTER TABLE lottery_draws ADD COLUMN revealed_at_ms INTEGER;
  ALTER TABLE lottery_draws ADD COLUMN first_placed_at_ms INTEGER;
  ALTER TABLE lottery_draws ADD COLUMN first_placed INTEGER;`,
];

export type DrawRow = {
  epoch: number;
  starts_at_ms: number;
  closes_at_ms: number;
  reopen: number;
  committed_at_ms: number | null;
  root: string | null;
  entrants: number | null;
  shards: string | null;
  round: number | null;
  randomness: string | null;
  signature: string | null;
  tried_at_ms: number;
  drawn_at_ms: number | null;
  placed: number;
  revealed_at_ms: number | null;
  first_placed_at_ms: number | null;
  first_placed: number | null;
};
