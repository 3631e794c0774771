import { and, eq, isNull } from "drizzle-orm";
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
const ROWS_MAX = 100;

export interface SigningSecretView {
  secretId: string;
  createdAt: string | null;
  retiredAt: string | null;
}

type SecretsEnv = { DB: D1Database; MERCHANT_WEBHOOK_SECRET: string };

async function rows(env: SecretsEnv): Promise<WebhookSecretRow[]> {
  return drizzle(env.DB).select().from(webhookSecrets).orderBy(webhookSecrets.createdAtMs).limit(ROWS_MAX);
}

/** The secrets that sign a delivery now, the environment's first unless retired. */
export async function activeSecrets(env: SecretsEnv): Promise<string[]> {
  return activeOf(env, await rows(env)).map((s) => s.secret);
}

function activeOf(env: SecretsEnv, all: WebhookSecretRow[]): Array<{ secretId: string; secret: string }> {
  const envRetired = all.some((r) => r.secretId === ENV_SECRET_ID && r.retiredAtMs !== null);
  const added = all.filter((r) => r.secretId !== ENV_SECRET_ID && r.retiredAtMs === null);
  return [
    ...(envRetired || !env.MERCHANT_WEBHOOK_SECRET ? [] : [{ secretId: ENV_SECRET_ID, secret: env.MERCHANT_WEBHOOK_SECRET }]),
    ...added,
  ];
}

export async function listSecrets(env: SecretsEnv): Promise<SigningSecretView[]> {
  const all = await rows(env);
  const envRow = all.find((r) => r.secretId === ENV_SECRET_ID);
  const envView = { secretId: ENV_SECRET_ID, createdAt: null, retiredAt: iso(envRow?.retiredAtMs ?? null) };
  return [envView, ...all.filter((r) => r.secretId !== ENV_SECRET_ID).map(viewOf)];
}

/** A new active secret, shown in this reply; refused past ACTIVE_SECRETS_MAX. */
export async function addSecret(env: SecretsEnv, now_ms: number): Promise<Outcome<SigningSecretView & { secret: string }>> {
  if (activeOf(env, await rows(env)).length >= ACTIVE_SECRETS_MAX) {
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
  const all = await rows(env);
  const active = activeOf(env, all);
  const known = secretId === ENV_SECRET_ID || all.some((r) => r.secretId === secretId);
  if (!known) return refuse("not_found", "No such signing secret.");
  if (active.some((s) => s.secretId === secretId)) {
    if (active.length === 1) return refuse("signing_secret_conflict", "This is the only active secret; add another before retiring it.");
    const db = drizzle(env.DB);
    if (secretId === ENV_SECRET_ID)
      await db.insert(webhookSecrets).values({ secretId, secret: "", createdAtMs: now_ms, retiredAtMs: now_ms });
    else
      await db
        .update(webhookSecrets)
        .set({ retiredAtMs: now_ms })
        .where(and(eq(webhookSecrets.secretId, secretId), isNull(webhookSecrets.retiredAtMs)));
  }
  const view = (await listSecrets(env)).find((s) => s.secretId === secretId);
  if (!view) throw new Error(`signing secret ${secretId} vanished while it was retired`);
  return accept(view);
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function viewOf(row: WebhookSecretRow): SigningSecretView {
  return { secretId: row.secretId, createdAt: iso(row.createdAtMs), retiredAt: iso(row.retiredAtMs) };
}
