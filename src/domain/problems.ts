import { z } from "@hono/zod-openapi";

/**
 * The error vocabulary of the API (spec §6). Expected refusals travel as
 * values (`Refusal`) from the object to the route; only bugs throw.
 */
export const PROBLEMS = {
  invalid_request: { status: 400, title: "The request is not valid" },
  invalid_amount: { status: 400, title: "The payment provider would not charge that amount" },
  unauthorized: { status: 401, title: "Authentication is required" },
  forbidden: { status: 403, title: "This credential may not do that" },
  admission_required: { status: 403, title: "An admission from the sale's waiting room is required" },
  not_found: { status: 404, title: "No such resource" },
  method_not_allowed: { status: 405, title: "Method not allowed" },
  insufficient_stock: { status: 409, title: "Not enough stock for that quantity" },
  sold_out: { status: 409, title: "Sold out" },
  limit_exceeded: { status: 409, title: "Per-customer limit exceeded" },
  sale_not_started: { status: 409, title: "The sale has not started" },
  sale_ended: { status: 409, title: "The sale has ended" },
  not_on_sale: { status: 409, title: "This SKU is not on sale" },
  hold_not_releasable: { status: 409, title: "The hold can no longer be released" },
  sale_overlap: { status: 409, title: "Another sale lists this SKU at the same time" },
  signing_secret_conflict: { status: 409, title: "The webhook's signing secrets cannot change that way" },
  total_changed: { status: 409, title: "The order's total is not the one the shopper expected" },
  invalid_order_state: { status: 409, title: "The order cannot make that move from its current status" },
  invalid_transfer_state: { status: 409, title: "The transfer cannot make that move from its current status" },
  location_required: { status: 409, title: "The SKU has several locations: name one" },
  locations_with_shards: { status: 409, title: "A sharded SKU keeps its stock in one location" },
  hold_expired: { status: 410, title: "The hold has expired" },
  version_conflict: { status: 412, title: "The resource changed since the version given in If-Match" },
  payload_too_large: { status: 413, title: "Request body too large" },
  unsupported_media_type: { status: 415, title: "Request body must be JSON" },
  upgrade_required: { status: 426, title: "This resource is a WebSocket" },
  idempotency_key_reused: { status: 422, title: "Idempotency key reused with a different request" },
  rate_limited: { status: 429, title: "Too many requests" },
  internal: { status: 500, title: "Internal error" },
  unavailable: { status: 503, title: "Temporarily unavailable" },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

type Scalar = string | number | boolean | null;
/**
 * What a refusal's extension member may hold: JSON, as it is stored for
 * idempotent replay and crosses RPC, and flat, as RPC's types of a recursive
 * JSON type are too deep for the compiler.
 */
export type ProblemMember = Scalar | Scalar[] | Array<Record<string, Scalar>>;

/** An expected refusal: returned, stored for idempotent replay, never thrown. */
export interface Refusal {
  ok: false;
  code: ProblemCode;
  detail: string;
  /** Extension members of the problem document, e.g. `available`, `remaining` or an `invalid_request`'s `errors`. */
  extra?: { errors?: FieldIssue[] } & Record<string, ProblemMember | undefined>;
  /**
   * The operation did not run (it lost a race it may win on a retry), like
   * the transient codes: never stored for idempotent replay (spec §6).
   */
  transient?: true;
}

export type Outcome<T> = { ok: true; value: T } | Refusal;

export function refuse(code: ProblemCode, detail: string, extra?: Refusal["extra"]): Refusal {
  return extra === undefined ? { ok: false, code, detail } : { ok: false, code, detail, extra };
}

export function accept<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

/**
 * One field that failed validation (`errors` of an `invalid_request` problem).
 * It lives here, not with the route schemas, because the HTTP layer's
 * `ProblemError` carries it and the contract's problem document lists it.
 */
export const FieldError = z
  .object({
    in: z
      .enum(["json", "form", "query", "param", "header", "cookie"])
      .openapi({ description: "Where the field is: `json` (the body), `query`, `param`, `header`…" }),
    path: z.string().openapi({ description: "Dotted path of the field inside it; empty for the whole." }),
    message: z.string(),
  })
  .openapi("FieldError");

export type FieldIssue = z.infer<typeof FieldError>;

/** Thrown by the HTTP layer (auth, parsing) to leave through the one error handler. */
export class ProblemError extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly extra: { errors?: FieldIssue[] } & Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    // An answer, not a bug: no stack is read, and capturing one cost an edge refusal a visible share of its CPU.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`${code}: ${detail}`);
    Error.stackTraceLimit = limit;
    this.name = "ProblemError";
  }
}
