import { desc, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type ApiKeyRow, apiKeys } from "../db/schema";
import type { Role } from "../domain/roles";
import { toBase64url } from "../platform/base64url";
import { Memo } from "../platform/memo";

/**
 * Merchant API keys (spec §12): created by an owner, the secret shown once and
 * kept only as its SHA-256, listed without it, expiring, revocable.
 *
 * Every merchant request resolves its key here. An isolate keeps what it read
 * for KEY_CACHE_TTL_MS, so a revocation reaches every isolate within that plus
 * one D1 read: the bound spec §12's "refused everywhere within five seconds"
 * rests on (`npm run bench:revocation` measures it). Expiry is checked against
 * the cached `expiresAtMs` on every request, so the cache never extends a key.
 */
export const KEY_CACHE_TTL_MS = 2_000;
const KEY_CACHE_MAX = 256;
/** `lastUsedAt` is written at most once a minute per key: a busy key costs no D1 write per request. */
export const LAST_USED_GRANULARITY_MS = 60_000;
/** The list answers the newest this many keys. */
export const KEYS_LISTED_MAX = 500;

export const SECRET_PREFIX = "hf_";
const SECRET_BYTES = 32;

/** What a key grants: its role and, when it has one, its scope of locations (spec §11). */
export interface KeyGrant {
  keyId: string;
  role: Role;
  /** Null: every location. A list: only these (spec §11); enforced by the routes declared location-scoped. */
  locations: string[] | null;
}

export type KeyLookup = { ok: true; grant: KeyGrant } | { ok: false; why: "unknown" | "revoked" | "expired" };

type Cached = Pick<ApiKeyRow, "keyId" | "role" | "locations" | "expiresAtMs" | "revokedAtMs"> | null;

let cache = new Memo<Cached>(KEY_CACHE_MAX);

export interface NewKey {
  name: string;
  role: Role;
  locations: string[] | null;
  expiresAtMs: number | null;
}

/** Creates a key; the secret is in this reply only. */
export async function createKey(env: Env, input: NewKey, createdBy: string, now_ms: number): Promise<{ row: ApiKeyRow; secret: string }> {
  const secret = `${SECRET_PREFIX}${toBase64url(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)))}`;
  const keyId = `key_${[...crypto.getRandomValues(new Uint8Array(8))].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
  const row: ApiKeyRow = {
    keyId,
    name: input.name,
    role: input.role,
    locations: input.locations === null ? null : JSON.stringify(input.locations),
    secretHash: await hashOf(secret),
    createdBy,
    createdAtMs: now_ms,
    expiresAtMs: input.expiresAtMs,
    revokedAtMs: null,
    lastUsedAtMs: null,
  };
  await drizzle(env.DB).insert(apiKeys).values(row);
  return { row, secret };
}

/** The newest keys first, revoked ones included (they say when). */
export function listKeys(env: Env): Promise<ApiKeyRow[]> {
  return drizzle(env.DB).select().from(apiKeys).orderBy(desc(apiKeys.createdAtMs), desc(apiKeys.keyId)).limit(KEYS_LISTED_MAX);
}

/** Revokes a key (again: the first revocation's time stays). Null when there is no such key. */
export async function revokeKey(env: Env, keyId: string, now_ms: number): Promise<ApiKeyRow | null> {
  const db = drizzle(env.DB);
  await db
    .update(apiKeys)
    .set({ revokedAtMs: sql`coalesce(${apiKeys.revokedAtMs}, ${now_ms})` })
    .where(eq(apiKeys.keyId, keyId));
  // This isolate refuses it at once; the others within KEY_CACHE_TTL_MS.
  cache = new Memo<Cached>(KEY_CACHE_MAX);
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.keyId, keyId));
  return row ?? null;
}

/** The grant of an `hf_` secret, or why it grants nothing. */
export async function lookupKey(env: Env, secret: string, now_ms: number): Promise<KeyLookup> {
  const hash = await hashOf(secret);
  let key = cache.get(hash, now_ms);
  if (key === undefined) {
    key = await readKey(env, hash, now_ms);
    cache.set(hash, key, now_ms + KEY_CACHE_TTL_MS);
  }
  if (key === null) return { ok: false, why: "unknown" };
  if (key.revokedAtMs !== null && key.revokedAtMs <= now_ms) return { ok: false, why: "revoked" };
  if (key.expiresAtMs !== null && key.expiresAtMs <= now_ms) return { ok: false, why: "expired" };
  return { ok: true, grant: { keyId: key.keyId, role: key.role, locations: parseLocations(key.locations) } };
}

/** One read, and the `lastUsedAt` write when the stored one is over a minute old (the cache spares the rest). */
async function readKey(env: Env, hash: string, now_ms: number): Promise<Cached> {
  const db = drizzle(env.DB);
  const [row] = await db
    .select({
      keyId: apiKeys.keyId,
      role: apiKeys.role,
      locations: apiKeys.locations,
      expiresAtMs: apiKeys.expiresAtMs,
      revokedAtMs: apiKeys.revokedAtMs,
      lastUsedAtMs: apiKeys.lastUsedAtMs,
    })
    .from(apiKeys)
    .where(eq(apiKeys.secretHash, hash));
  if (!row) return null;
  const usable = row.revokedAtMs === null && (row.expiresAtMs === null || row.expiresAtMs > now_ms);
  if (usable && (row.lastUsedAtMs === null || row.lastUsedAtMs <= now_ms - LAST_USED_GRANULARITY_MS)) {
    await db.update(apiKeys).set({ lastUsedAtMs: now_ms }).where(eq(apiKeys.keyId, row.keyId));
  }
  const { lastUsedAtMs: _, ...key } = row;
  return key;
}

function parseLocations(stored: string | null): string[] | null {
  return stored === null ? null : (JSON.parse(stored) as string[]);
}

async function hashOf(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
