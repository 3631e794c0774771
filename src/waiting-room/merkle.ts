import { createHash } from "node:crypto";

/**
 * The lottery's commitment to its entrants (spec §9): a Merkle tree over
 * entrant ids (64 hex digits each), in the shape docs/waiting-room.md spells
 * out so anyone rebuilds it with sha256 alone:
 *   leaf  = sha256(0x00 || entrantId bytes)
 *   node  = sha256(0x01 || left || right)
 *   a level's last node without a partner moves up unchanged
 *   root of no leaves = sha256("") (an empty join shard)
 * The 0x00/0x01 prefixes (as in RFC 6962) keep a leaf from passing for a node.
 * Hashing is node:crypto's, synchronous and native: a shard hashes its whole
 * pre-queue (tens of thousands of entrants) in one call.
 */

export type Hex = string;

/** One step of an inclusion proof: the sibling's hash and which side it sits on. */
export interface ProofStep {
  side: "left" | "right";
  hash: Hex;
}

const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

export function sha256(...parts: Array<Buffer | string>): Buffer {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
}

export function leafHash(entrantId: Hex): Buffer {
  return sha256(LEAF, Buffer.from(entrantId, "hex"));
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return sha256(NODE, left, right);
}

/** Every level of the tree, leaves first, root last (a single node); no leaves: one level holding sha256(""). */
export function levelsOf(leaves: readonly Buffer[]): Buffer[][] {
  if (leaves.length === 0) return [[sha256("")]];
  const levels: Buffer[][] = [[...leaves]];
  // Each level halves (rounding up): at most 64 levels for any count a shard can hold.
  for (let depth = 0; levels[levels.length - 1]!.length > 1 && depth < 64; depth++) {
    const below = levels[levels.length - 1]!;
    const above: Buffer[] = [];
    for (let i = 0; i < below.length; i += 2) above.push(i + 1 < below.length ? nodeHash(below[i]!, below[i + 1]!) : below[i]!);
    levels.push(above);
  }
  return levels;
}

export function rootOf(leaves: readonly Buffer[]): Hex {
  const levels = levelsOf(leaves);
  return levels[levels.length - 1]![0]!.toString("hex");
}

/**
 * The siblings from leaf `index` up to the root, given a reader of any node
 * (level 0: leaves) and the number of leaves; a promoted node adds no step.
 */
export function proofOf(index: number, leafCount: number, nodeAt: (level: number, index: number) => Hex): ProofStep[] {
  const steps: ProofStep[] = [];
  let width = leafCount;
  let i = index;
  for (let level = 0; width > 1 && level < 64; level++) {
    const sibling = i ^ 1;
    if (sibling < width) steps.push({ side: sibling < i ? "left" : "right", hash: nodeAt(level, sibling) });
    i >>= 1;
    width = Math.ceil(width / 2);
  }
  return steps;
}

/** The root a leaf and its proof lead to. */
export function rootFromProof(leaf: Buffer, steps: readonly ProofStep[]): Hex {
  let h = leaf;
  for (const s of steps) h = s.side === "left" ? nodeHash(Buffer.from(s.hash, "hex"), h) : nodeHash(h, Buffer.from(s.hash, "hex"));
  return h.toString("hex");
}
