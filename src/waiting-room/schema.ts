import { COORDINATOR_LINES_STEPS, COORDINATOR_STEPS } from "./coordinator-schema";
import { JOIN_SHARD_LINES_STEPS, JOIN_SHARD_STEPS } from "./join-shard";
import { LINE_STEPS } from "./line";
import { LOTTERY_LATER_STEPS, LOTTERY_STEPS } from "./lottery-schema";
import { LOTTERY_SHARD_STEPS } from "./lottery-shard";

/**
 * The waiting-room object's schema (src/objects/waiting-room-object.ts): the two roles' tables are tiny and empty until used, so
 * one schema serves both. Append only: an object's schema version counts steps
 * of this whole list, so a step added to one role's list in the middle would
 * shift every later one.
 */
export const WAITING_ROOM_STEPS: readonly string[] = [
  ...COORDINATOR_STEPS,
  ...JOIN_SHARD_STEPS,
  ...LINE_STEPS,
  ...COORDINATOR_LINES_STEPS,
  ...JOIN_SHARD_LINES_STEPS,
  ...LOTTERY_STEPS,
  ...LOTTERY_SHARD_STEPS,
  ...LOTTERY_LATER_STEPS,
];
