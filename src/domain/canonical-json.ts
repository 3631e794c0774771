import { hash } from "node:crypto";

/**
 * JSON with object keys sorted at every depth, so equal values always give the
 * same text: what request fingerprints and audit hashes are computed over.
 *
 * The text is exactly what `JSON.stringify` gives for a copy of the value
 * whose objects were rebuilt with their keys sorted (the definition every
 * stored hash was made with, kept in test/audit/canonical-json.test.ts as
 * the reference): integer-like keys therefore come first in numeric order,
 * as JavaScript orders them in any object, then the rest by code unit. It is
 * written directly rather than through a sorting replacer because the
 * shipper hashes every audit event with it: the replacer's copy of every
 * object, and the digest's hex formatting, were about 3% of the samples in
 * a profile of the object's own reserve (bench/profile.ts).
 */
export function canonicalJson(value: unknown): string {
  return write(value, "") as string;
}

function write(input: unknown, key: string): string | undefined {
  let v = input;
  if (v !== null && typeof v === "object" && typeof (v as { toJSON?: unknown }).toJSON === "function") {
    v = (v as { toJSON(key: string): unknown }).toJSON(key);
  }
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "number":
      return Number.isFinite(v) ? String(v) : "null";
    case "boolean":
      return v ? "true" : "false";
    case "bigint":
      // JSON.stringify's own refusal, with its own message.
      return JSON.stringify(v);
    case "object":
      if (v === null) return "null";
      return Array.isArray(v) ? writeArray(v) : writeObject(v as Record<string, unknown>);
    default:
      return undefined;
  }
}

function writeArray(items: readonly unknown[]): string {
  let out = "[";
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ",";
    out += write(items[i], String(i)) ?? "null";
  }
  return `${out}]`;
}

function writeObject(object: Record<string, unknown>): string {
  let out = "{";
  let first = true;
  for (const key of orderedKeys(object)) {
    const text = write(object[key], key);
    if (text === undefined) continue;
    out += `${first ? "" : ","}${JSON.stringify(key)}:${text}`;
    first = false;
  }
  return `${out}}`;
}

/** Sorted by code unit, except that array-index keys lead in numeric order, as in any JavaScript object. */
function orderedKeys(object: object): string[] {
  const keys = Object.keys(object).sort(byCodeUnit);
  if (!keys.some(isIndex)) return keys;
  const indexes = keys.filter(isIndex).sort((a, b) => Number(a) - Number(b));
  return [...indexes, ...keys.filter((k) => !isIndex(k))];
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** An array index: the canonical decimal form of an integer below 2^32 - 1. */
function isIndex(key: string): boolean {
  const n = Number(key);
  return Number.isInteger(n) && n >= 0 && n < 4294967295 && String(n) === key;
}

/**
 * SHA-256 of the text's UTF-8 bytes, as lowercase hex: the one hash of the
 * service (audit chains, request fingerprints, ETags, the waiting room's draw).
 * node:crypto's one-shot hash is synchronous (src/waiting-room/merkle.ts
 * measured it against WebCrypto's digest), so no caller awaits a hash.
 */
export function sha256Hex(text: string): string {
  return hash("sha256", text, "hex");
}
