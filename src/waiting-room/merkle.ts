/**
 * The lottery's commitment to its entrants (spec §9): a Merkle tree over
 * entrants in join order, in the shape docs/waiting-room.md spells out so
 * anyone rebuilds it with sha256 alone (it is RFC 6962/9162's Merkle Tree
 * Hash: the left subtree holds the largest power of two below the count):
 *   leaf  = sha256(0x00 || entrantId bytes || item's sku in UTF-8)
 *   node  = sha256(0x01 || left || right)
 *   a level's last node without a partner moves up unchanged
 *   root of no leaves = sha256("") (an empty join shard)
 * The 0x00/0x01 prefixes (as in RFC 6962) keep a leaf from passing for a node.
 * The item is in the leaf so no entrant can be moved to another item's line
 * after the close unseen; an entrant id is 32 bytes, so id and item cannot
 * run into each other. A draw sealed before items were bound has '' for
 * each, which hashes as the old leaf did.
 * Hashing is node:crypto's one-shot hash(), synchronous: measured in workerd
 * (vitest pool, a busy 2-core machine) 100,000 hashes of 65 bytes took 1.7 s
 * with createHash, 2.5 s with WebCrypto's digest in one batch and 7.7 s with
 * @noble/hashes (one-shot hash() and createHash were within that machine's
 * noise of each other); and a join can then hash its entrant's leaf with no
 * await (./join-shard.ts).
 */

import { hash } from "node:crypto";

export type Hex = string;

/** One step of an inclusion proof: the sibling's hash and which side it sits on. */
export interface ProofStep {
  side: "left" | "right";
  hash: Hex;
}

/** The parts concatenated, one native call per hash. */
export function sha256(...parts: Array<Uint8Array | string>): Buffer {
  return hash("sha256", Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : p))), "buffer");
}

const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

export function leafHash(entrantId: Hex, sku: string): Buffer {
  return sha256(LEAF, Buffer.from(entrantId, "hex"), sku);
}

/** A hash as SQLite stores a BLOB: its own ArrayBuffer, exactly its bytes. */
export function blob(bytes: Uint8Array): ArrayBuffer {
  return new Uint8Array(bytes).buffer;
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return sha256(NODE, left, right);
}

/** Every level of the tree, leaves first, root last (a single node); no leaves: one level holding sha256(""). */
export function levelsOf(leaves: readonly Buffer[]): Buffer[][] {
  if (leaves.length === 0) return [[sha256("")]];
  const levels: Buffer[][] = [[...leaves]];
  // Each level halves (rounding up): at most 64 levels for any count a shard can hold.
  for (let depth = 0; levels[levels.length - 1]!.length > 1 && depth < 64; depth++) {
    const below = levels[levels.length - 1]!;
    levels.push(
      Array.from({ length: Math.ceil(below.length / 2) }, (_, k) =>
        2 * k + 1 < below.length ? nodeHash(below[2 * k]!, below[2 * k + 1]!) : below[2 * k]!,
      ),
    );
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
export async function proofOf(
  index: number,
  leafCount: number,
  nodeAt: (level: number, index: number) => Hex | Promise<Hex>,
): Promise<ProofStep[]> {
  const steps: ProofStep[] = [];
  let width = leafCount;
  let i = index;
  for (let level = 0; width > 1 && level < 64; level++) {
    const sibling = i ^ 1;
    if (sibling < width) steps.push({ side: sibling < i ? "left" : "right", hash: await nodeAt(level, sibling) });
    i >>= 1;
    width = Math.ceil(width / 2);
  }
  return steps;
}

/** Reads a node of the tree: level 0 are the leaves; (level, i) covers leaves i * 2^level .. (i + 1) * 2^level - 1. */
export type NodeReader = (level: number, index: number) => Buffer;

/**
 * The root of the first `size` leaves from the complete subtrees alone (one
 * per bit of `size`, the compact range of an append-only log): O(log n)
 * reads, so sealing a tree kept up to date by each append costs no hash per leaf.
 */
export function rootOfSize(size: number, nodeAt: NodeReader): Hex {
  if (size === 0) return sha256("").toString("hex");
  return partialNode(64, 0, size, nodeAt).toString("hex");
}

/**
 * The node (level, index) of the tree over `size` leaves: stored when its
 * subtree is complete; otherwise the last node of its level, which covers the
 * leaves from index * 2^level to the end, folded from the complete subtrees
 * of the bits of `size` below `level` (smallest first: an unpaired node moves up).
 */
export function nodeOfSize(level: number, index: number, size: number, nodeAt: NodeReader): Buffer {
  if ((index + 1) * 2 ** level <= size) return nodeAt(level, index);
  return partialNode(level, index, size, nodeAt);
}

function partialNode(level: number, index: number, size: number, nodeAt: NodeReader): Buffer {
  let acc: Buffer | null = null;
  for (let l = 0; l < level && index * 2 ** level + 2 ** l <= size; l++) {
    if (Math.floor(size / 2 ** l) % 2 === 0) continue;
    const node = nodeAt(l, Math.floor(size / 2 ** l) - 1);
    acc = acc === null ? node : nodeHash(node, acc);
  }
  if (acc === null) throw new RangeError(`no leaf under node (${level}, ${index}) of a tree of ${size}`);
  return acc;
}

/** The audit path of leaf `index` in the tree over `size` leaves (RFC 6962's PATH), from nodes read as stored. */
export function auditPath(index: number, size: number, nodeAt: NodeReader): ProofStep[] {
  const steps: ProofStep[] = [];
  let width = size;
  let i = index;
  for (let level = 0; width > 1 && level < 64; level++) {
    const sibling = i ^ 1;
    if (sibling < width)
      steps.push({ side: sibling < i ? "left" : "right", hash: nodeOfSize(level, sibling, size, nodeAt).toString("hex") });
    i = Math.floor(i / 2);
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
