import { z } from "@hono/zod-openapi";
import { CUSTOMER_ID } from "../domain/ids";
import { ROLES } from "../domain/roles";
import { merchantRoles } from "../http/auth";
import { FieldError, PROBLEMS, type ProblemCode } from "../domain/problems";
import { isCurrency } from "../domain/currencies";
import { HOLD_ID_PATTERN } from "../stock/addressing";
import { TOKEN_PATTERN } from "../waiting-room/tokens";
import { OrderStatus as OrderStatusEnum } from "./order-schemas";
import { Allocation, LocationLevels } from "../domain/locations";

/** Schemas shared by several routes; each route file keeps its own bodies. */

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A resource id in a path: what SKU and sale ids may look like. */
function pathId(name: string, example: string) {
  return z
    .string()
    .min(1)
    .max(64)
    .regex(ID_PATTERN, "1-64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit")
    .openapi({ param: { name, in: "path" }, example });
}

export const SkuId = pathId("sku", "tee-black-m");
export const SaleId = pathId("saleId", "black-friday");

/** A waiting-room ticket in a path (the queue's status and the lottery's proof of entry). */
export const Ticket = z
  .string()
  .max(1024)
  .regex(TOKEN_PATTERN, "a ticket as returned by POST /v1/sales/{saleId}/queue")
  .openapi({ param: { name: "ticket", in: "path" } });

/** A list's `cursor` query parameter; each list decodes it with its own rule (one codec, platform/cursor). */
export const PageCursor = z.string().min(1).max(1024).optional().openapi({ description: "`nextCursor` of the previous page; opaque." });

export const HoldId = z
  .string()
  .regex(HOLD_ID_PATTERN, "a hold id as returned by POST /v1/skus/{sku}/holds")
  .openapi({ param: { name: "holdId", in: "path" } });

/**
 * An integer query parameter written as plain decimal digits. `z.coerce.number()`
 * reads whatever `Number()` does, so `0x10`, `1e1`, ` 5` and `+5` passed as numbers.
 */
export function queryInt(min: number, max: number, fallback: number) {
  return z
    .string()
    .regex(/^[0-9]{1,10}$/, "a decimal integer")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .default(fallback)
    .openapi({ type: "integer", minimum: min, maximum: max, default: fallback });
}

export const Money = z
  .strictObject({
    amount: z.number().int().min(0).max(99_999_999_999).openapi({
      description:
        "In the currency's minor unit (ISO 4217: 1900 jpy is ¥1,900, 1900 usd is $19.00, 19000 kwd is KWD 19.000). A price must be one the payment provider charges (1 to 99999999, three-decimal currencies ending in 0), else `400 invalid_amount`.",
    }),
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, "an ISO 4217 code")
      .refine(isCurrency, "not an active ISO 4217 currency code")
      .transform((c) => c.toLowerCase())
      .openapi({ example: "usd", description: "An active ISO 4217 code, any case; answered in lower case." }),
  })
  .openapi("Money");

export const Levels = z
  .object({
    onHand: z.number().int(),
    reserved: z.number().int(),
    available: z.number().int(),
    sold: z.number().int(),
    received: z.number().int(),
    returned: z.number().int().openapi({ description: "Units that came back from refunded orders; they left `sold`." }),
    locations: z.array(LocationLevels).optional().openapi({
      description: "On a SKU that stocks locations: the levels of the locations the change touched (spec §11).",
    }),
    version: z.number().int().optional().openapi({ description: "On a SKU that stocks locations: its version after the change." }),
  })
  .openapi("Levels");

/**
 * `If-Match` of a merchant write to a SKU (spec §11): its `version`, as the
 * `ETag` sent it (`"7"`), bare (`7`) or weak (`W/"7"`).
 */
export const IfMatchHeaders = z.object({
  "if-match": z
    .string()
    .regex(/^(W\/)?"?\d{1,15}"?$/, 'the SKU\'s version, e.g. "7"')
    .transform((v) => Number(v.replace(/^W\//, "").replaceAll('"', "")))
    .optional()
    .openapi({ description: "The SKU's `version` (its `ETag`); a stale one answers `412 version_conflict` with `currentVersion`." }),
});

/** `ETag: "<version>"` of a SKU's merchant view and of the replies to merchant writes to it. */
export function versionTag(version: number): string {
  return `"${version}"`;
}

export const HoldStatus = z.enum(["held", "checkout", "committed", "released", "expired", "returned"]);

export const Hold = z
  .object({
    holdId: z.string(),
    sku: z.string(),
    customerId: CUSTOMER_ID,
    quantity: z.number().int(),
    status: HoldStatus,
    unitPrice: Money,
    saleId: z.string().nullable(),
    createdAt: z.string(),
    expiresAt: z.string(),
    orderId: z.string().optional(),
    allocations: z.array(Allocation).optional().openapi({
      description:
        "Where the units come from, on a SKU that stocks locations only (spec §11); the order, fulfilment and a return follow it.",
    }),
  })
  .openapi("Hold");

/**
 * RFC 9457 problem document with the API's stable `code`. Extension members
 * are typed where the API sets them; others may appear and are to be ignored.
 */
export const Problem = z
  .object({
    type: z.string().openapi({ description: "`https://holdfast.dev/problems/<code>`." }),
    title: z.string(),
    status: z.number().int(),
    code: z.enum(Object.keys(PROBLEMS) as [ProblemCode, ...ProblemCode[]]),
    detail: z.string(),
    errors: z.array(FieldError).optional().openapi({ description: "`invalid_request`, `invalid_amount`: every offending field." }),
    minorUnits: z
      .number()
      .int()
      .optional()
      .openapi({ description: "`invalid_amount`: the currency's decimals (ISO 4217 exponent) the amount is counted in." }),
    total: z.number().int().optional().openapi({ description: "`total_changed`: the order's total, in the minor unit of `currency`." }),
    currency: z.string().optional().openapi({ description: "`total_changed`: the order's currency." }),
    available: z.number().int().optional().openapi({ description: "`insufficient_stock`, `sold_out`: units available now." }),
    remaining: z.number().int().optional().openapi({ description: "`limit_exceeded`: units the customer may still take." }),
    perCustomerLimit: z.number().int().optional().openapi({ description: "`limit_exceeded`: the sale's per-customer limit." }),
    maxPerOrder: z.number().int().optional().openapi({ description: "`limit_exceeded`: the sale's per-hold maximum." }),
    orderStatus: OrderStatusEnum.optional().openapi({ description: "`invalid_order_state`, `hold_expired`: the order's status." }),
    holdStatus: HoldStatus.optional().openapi({ description: "`hold_expired`, `hold_not_releasable`: the hold's status." }),
    retryAfterSeconds: z.number().int().optional().openapi({ description: "`rate_limited`, `unavailable`: as `Retry-After`." }),
    sku: z.string().optional().openapi({ description: "Checkout: the SKU that refused." }),
    saleId: z.string().optional(),
    conflicts: z
      .array(z.object({ saleId: z.string(), sku: z.string() }))
      .optional()
      .openapi({ description: "`sale_overlap`: each other sale whose window overlaps this one's on a SKU both list." }),
    startsAt: z.string().optional(),
    endsAt: z.string().optional(),
    currentVersion: z.number().int().optional().openapi({ description: "`version_conflict`: the SKU's version now." }),
    locations: z
      .array(z.object({ location: z.string(), available: z.number().int() }))
      .optional()
      .openapi({ description: "`insufficient_stock` on a SKU with locations: what each location that could serve the hold has." }),
  })
  .catchall(z.unknown())
  .openapi("Problem");

export const IdempotencyHeaders = z.object({
  "idempotency-key": z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/, "printable ASCII without spaces")
    .optional()
    .openapi({ description: "Makes a retry safe: the same key and body replay the first response for 24 h." }),
});

/** Where a shopper's request takes holds on a SKU whose live sale has a waiting room (spec §9). */
export const AdmissionHeaders = IdempotencyHeaders.extend({
  "holdfast-admission": z
    .string()
    .max(1024)
    .optional()
    .openapi({ description: "The admission token from the sale's waiting room; required when the SKU's live sale has one." }),
});

/**
 * Who may call a merchant route (spec §12), as its OpenAPI `security`: one
 * alternative per role (http/auth.ts). `OWNER` manages keys, secrets and the
 * dev tools; `MANAGE` changes SKUs, stock, sales and orders; `READ` reads them
 * (a viewer without customer personal data); `ORDERS_READ` and `FULFIL` add
 * fulfillment keys to reading and fulfilling orders.
 */
export const OWNER = merchantRoles("owner");
export const MANAGE = merchantRoles("owner", "manager");
export const READ = merchantRoles("owner", "manager", "viewer");
export const ORDERS_READ = merchantRoles("owner", "manager", "fulfillment", "viewer");
export const FULFIL = merchantRoles("owner", "manager", "fulfillment");
export const ANY_MERCHANT = merchantRoles(...ROLES);

/** Optional authentication (spec §6 "anyone"): no credential, or a valid shopper or merchant one. */
export const ANYONE: Array<Record<string, string[]>> = [{}, { shopper: [] }, ...merchantRoles(...ROLES)];

/** The problem responses a route documents, besides its success. */
export function problems(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: "Problem", content: { "application/problem+json": { schema: Problem } } }]),
  );
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { content: { "application/json": { schema } }, required: true } as const;
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } } as const;
}
