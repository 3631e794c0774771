/**
 * The file `npm run seed` reads (examples/sale.json): SKUs with the stock
 * that has arrived, and optionally one sale. Times are ISO 8601 instants or
 * relative to now: "now", "+30m", "-1h", "+7d" (s, m, h, d).
 */
import { z } from "zod";

const Id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "1-64 of letters, digits, '.', '_', '-', starting with a letter or digit");
const Money = z.strictObject({ amount: z.number().int().min(0), currency: z.string().regex(/^[A-Za-z]{3}$/, "an ISO 4217 code") });
const RELATIVE = /^(now|[+-][0-9]{1,6}[smhd])$/;
const When = z.union([z.iso.datetime({ offset: true }), z.string().regex(RELATIVE, 'an ISO instant, "now", or like "+30m", "-1h", "+7d"')]);

export const SeedSku = z.strictObject({
  sku: Id,
  name: z.string().min(1).max(200),
  price: Money,
  alwaysOn: z.boolean().optional(),
  shards: z.number().int().min(1).max(64).optional(),
  /** Units that have arrived in total (the SKU's `received`): a re-run adds only what is missing. */
  stock: z.number().int().min(0).max(1_000_000_000),
});

export const SeedSaleItem = z.strictObject({
  sku: Id,
  price: Money,
  perCustomerLimit: z.number().int().min(1),
  maxPerOrder: z.number().int().min(1).optional(),
  holdSeconds: z.number().int().min(1).optional(),
  paymentSeconds: z.number().int().min(60).optional(),
  holdsPerMinute: z.number().int().min(1).optional(),
});

export const SeedFile = z.strictObject({
  skus: z.array(SeedSku).min(1).max(100),
  sale: z
    .strictObject({
      saleId: Id,
      name: z.string().min(1).max(200),
      startsAt: When,
      endsAt: When,
      items: z.array(SeedSaleItem).min(1).max(100),
    })
    .optional(),
});

export type SeedFile = z.infer<typeof SeedFile>;

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function isRelative(when: string): boolean {
  return RELATIVE.test(when);
}

/** An instant of the file as epoch ms. */
export function resolveWhen(when: string, now_ms: number): number {
  if (when === "now") return now_ms;
  const m = /^([+-])([0-9]+)([smhd])$/.exec(when);
  if (!m) return Date.parse(when);
  return now_ms + (m[1] === "-" ? -1 : 1) * Number(m[2]) * UNIT_MS[m[3]!]!;
}

/** Field errors as lines a person can act on. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.join(".") || "(file)"}: ${i.message}`);
}
