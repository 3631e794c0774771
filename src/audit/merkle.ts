/**
 * RFC 9162 (Certificate Transparency v2) Merkle tree hashes over UTF-8 leaf
 * texts, hex-encoded. No imports: the standalone verifier
 * (scripts/audit-verify.ts) runs this same file under Node.
 */

const enc = new TextEncoder();

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
}

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
const unhex = (h: string): Uint8Array<ArrayBuffer> => Uint8Array.from(h.match(/../g) ?? [], (x) => Number.parseInt(x, 16));

/** HASH(0x00 || leaf). */
export async function leafHash(text: string): Promise<string> {
  const t = enc.encode(text);
  const b = new Uint8Array(t.length + 1);
  b.set(t, 1);
  return hex(await sha256(b));
}

/** HASH(0x01 || left || right). */
async function nodeHash(left: string, right: string): Promise<string> {
  const l = unhex(left);
  const r = unhex(right);
  const b = new Uint8Array(1 + l.length + r.length);
  b[0] = 1;
  b.set(l, 1);
  b.set(r, 1 + l.length);
  return hex(await sha256(b));
}

/** The largest power of two below n (n > 1). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH of the leaf hashes; the empty tree's root is HASH(""). Recursion depth is log2(n). */
export async function merkleRoot(leaves: readonly string[]): Promise<string> {
  if (leaves.length === 0) return hex(await sha256(new Uint8Array()));
  if (leaves.length === 1) return leaves[0]!;
  const k = split(leaves.length);
  return nodeHash(await merkleRoot(leaves.slice(0, k)), await merkleRoot(leaves.slice(k)));
}

/** The audit path of leaf `index` (RFC 9162 §2.1.3.1), leaf-side first. */
export async function inclusionPath(index: number, leaves: readonly string[]): Promise<string[]> {
  if (leaves.length <= 1) return [];
  const k = split(leaves.length);
  return index < k
    ? [...(await inclusionPath(index, leaves.slice(0, k))), await merkleRoot(leaves.slice(k))]
    : [...(await inclusionPath(index - k, leaves.slice(k))), await merkleRoot(leaves.slice(0, k))];
}

/** The root an inclusion path leads to (RFC 9162 §2.1.3.2); null when the path does not fit the tree size. */
export async function rootFromPath(index: number, size: number, leaf: string, path: readonly string[]): Promise<string | null> {
  if (index < 0 || index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/** The text a stream's head is a leaf of: the checkpoint commits to (stream, seq, hash). */
export function headLeafText(head: { stream: string; seq: number; hash: string }): string {
  return JSON.stringify([head.stream, head.seq, head.hash]);
}
