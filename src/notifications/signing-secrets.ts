import { and, desc, eq, isNull, ne, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type WebhookSecretRow, webhookSecrets } from "../db/schema";
import { accept, type Outcome, refuse } from "../domain/problems";

/**
 * The merchant webhook's signing secrets (spec §12): `MERCHANT_WEBHOOK_SECRET`
 * (id `env`) and those added through the API. Every active one signs each
 * delivery (Standard Webhooks: `webhook-signature` lists one `v1,<sig>` per
 * secret), so during a rotation a receiver holding either the old or the new
 * secret verifies. Rotating: add a secret, give it to the receiver, retire
 * the old one.
 */
export const ENV_SECRET_ID = "env";
/** Signatures per delivery are bounded: a rotation needs two, a slow one three. */
export const ACTIVE_SECRETS_MAX = 4;
/** Rows a read takes: the deciding ones are far fewer; the list shows the newest this many. */
const ROWS_MAX = 100;

export interface SigningSecretView {
  secretId: string;
  createdAt: string | null;
  retiredAt: string | null;
}

type SecretsEnv = { DB: D1Database; MERCHANT_WEBHOOK_SECRET: string };

/**
 * The rows that decide what signs: every secret not retired (at most
 * ACTIVE_SECRETS_MAX, as adding refuses past it) and the `env` row, whatever
 * the length of the history of retired ones.
 */
async function deciding(env: SecretsEnv): Promise<WebhookSecretRow[]> {
  return drizzle(env.DB)
    .select()
    .from(webhookSecrets)
    .where(or(isNull(webhookSecrets.retiredAtMs), eq(webhookSecrets.secretId, ENV_SECRET_ID)))
    .orderBy(webhookSecrets.createdAtMs)
    .limit(ROWS_MAX);
}

/** The secrets that sign a delivery now, the environment's first unless retired. */
export async function activeSecrets(env: SecretsEnv): Promise<string[]> {
  return activeOf(env, await deciding(env)).map((s) => s.secret);
}

function activeOf(env: SecretsEnv, all: WebhookSecretRow[]): Array<{ secretId: string; secret: string }> {
  const envRetired = all.some((r) => r.secretId === ENV_SECRET_ID && r.retiredAtMs !== null);
  const added = all.filter((r) => r.secretId !== ENV_SECRET_ID && r.retiredAtMs === null);
  return [
    ...(envRetired || !env.MERCHANT_WEBHOOK_SECRET ? [] : [{ secretId: ENV_SECRET_ID, secret: env.MERCHANT_WEBHOOK_SECRET }]),
    ...added,
  ];
}

/** `env` first, then the newest ROWS_MAX others, newest first. */
export async function listSecrets(env: SecretsEnv): Promise<SigningSecretView[]> {
  const db = drizzle(env.DB);
  const [envRow] = await db.select().from(webhookSecrets).where(eq(webhookSecrets.secretId, ENV_SECRET_ID));
  const others = await db
    .select()
    .from(webhookSecrets)
    .where(ne(webhookSecrets.secretId, ENV_SECRET_ID))
    .orderBy(desc(webhookSecrets.createdAtMs))
    .limit(ROWS_MAX);
  return [{ secretId: ENV_SECRET_ID, createdAt: null, retiredAt: iso(envRow?.retiredAtMs ?? null) }, ...others.map(viewOf)];
}

/** A new active secret, shown in this reply; refused past ACTIVE_SECRETS_MAX. */
export async function addSecret(env: SecretsEnv, now_ms: number): Promise<Outcome<SigningSecretView & { secret: string }>> {
  if (activeOf(env, await deciding(env)).length >= ACTIVE_SECRETS_MAX) {
    return refuse("signing_secret_conflict", `At most ${ACTIVE_SECRETS_MAX} secrets sign at once; retire one first.`);
  }
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  const secret = `whsec_${btoa(String.fromCharCode(...bytes))}`;
  const row = { secretId: `whs_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`, secret, createdAtMs: now_ms, retiredAtMs: null };
  await drizzle(env.DB).insert(webhookSecrets).values(row);
  return accept({ ...viewOf(row), secret });
}

/** Retires a secret (again: unchanged); never the last active one, which would leave deliveries unsigned. */
export async function retireSecret(env: SecretsEnv, secretId: string, now_ms: number): Promise<Outcome<SigningSecretView>> {
  const db = drizzle(env.DB);
  const active = activeOf(env, await deciding(env));
  const [stored] = await db.select({ secretId: webhookSecrets.secretId }).from(webhookSecrets).where(eq(webhookSecrets.secretId, secretId));
  if (secretId !== ENV_SECRET_ID && !stored) return refuse("not_found", "No such signing secret.");
  if (active.some((s) => s.secretId === secretId)) {
    if (active.length === 1) return refuse("signing_secret_conflict", "This is the only active secret; add another before retiring it.");
    // Retirements may race: the first one's row and time stay, the others change nothing.
    if (secretId === ENV_SECRET_ID) {
      await db.insert(webhookSecrets).values({ secretId, secret: "", createdAtMs: now_ms, retiredAtMs: now_ms }).onConflictDoNothing();
    } else {
      await db
        .update(webhookSecrets)
        .set({ retiredAtMs: now_ms })
        .where(and(eq(webhookSecrets.secretId, secretId), isNull(webhookSecrets.retiredAtMs)));
    }
  }
  const [row] = await db.select().from(webhookSecrets).where(eq(webhookSecrets.secretId, secretId));
  if (secretId === ENV_SECRET_ID) return accept({ secretId, createdAt: null, retiredAt: iso(row?.retiredAtMs ?? null) });
  if (!row) throw new Error(`signing secret ${secretId} vanished while it was retired`);
  return accept(viewOf(row));
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function viewOf(row: WebhookSecretRow): SigningSecretView {
  return { secretId: row.secretId, createdAt: iso(row.createdAtMs), retiredAt: iso(row.retiredAtMs) };
}
