import fc from "fast-check";
import { forged, merchant, shopper, type AuthSpec } from "./auth";
import { encodeLoose, type FuzzRequest, type Operation } from "./api";
import { breakages, breakValue, certainlyInvalid, type Variant } from "./mutate";
import { only, valid, type Doc, type Hints, type Schema } from "./schema";

/**
 * Requests for one operation, drawn from the operation's own schemas in
 * /openapi.json: `validRequests` follow every schema; `invalidRequests` break
 * exactly one thing of a valid request and say which (`mutation`) and what
 * the the spec (docs/spec.md) requires in return (`expect`).
 */

/** Ids that exist right now; the fuzzer draws from them so requests reach real code. */
export interface Pools {
  /** SKUs that sell (alwaysOn or in the live sale): holds, checkout, adjustments, reads. */
  sellable: string[];
  /** SKUs the valid batch may reconfigure (PUT sku, sale items) without starving the others. */
  scratch: string[];
  holds: Array<{ holdId: string; sku: string; customerId: string }>;
  orders: string[];
  /** Sales to read, and the live sale an invalid request must not change. */
  sales: string[];
  /** Sale ids the valid batch may create or replace. */
  scratchSales: string[];
  customers: string[];
  /** `nextCursor`s seen, per operation key. */
  cursors: Record<string, string[]>;
}

const pick = <T>(xs: T[]): fc.Arbitrary<T> | undefined => (xs.length > 0 ? fc.constantFrom(...xs) : undefined);

/**
 * Values to prefer, by property or parameter name. Valid requests reconfigure
 * only scratch SKUs and sales; invalid ones aim at the live ones, where a
 * wrongly accepted request would show in the snapshot.
 */
function hintsFor(op: Operation, pools: Pools, phase: "valid" | "invalid"): Hints {
  const reconfigures = op.key === "PUT /v1/skus/{sku}" || op.key === "PUT /v1/sales/{saleId}";
  const scratch = phase === "valid" && reconfigures;
  return {
    sku: pick(scratch ? pools.scratch : pools.sellable),
    holdId: pick(pools.holds.map((h) => h.holdId)),
    holdIds:
      pools.holds.length > 0
        ? fc.uniqueArray(fc.constantFrom(...pools.holds.map((h) => h.holdId)), { minLength: 1, maxLength: 3 })
        : undefined,
    orderId: pick(pools.orders),
    saleId: pick(scratch ? pools.scratchSales : pools.sales),
    stream: pick([...pools.sellable.map((x) => `sku:${x}`), ...pools.orders.map((x) => `order:${x}`)]),
    quantity: fc.integer({ min: 1, max: 3 }),
    delta: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: -5, max: -1 })),
    paymentMethod: fc.constantFrom("pm_card_visa", "pm_card_visa", "pm_card_chargeDeclined", "pm_card_authenticationRequired"),
    amount: fc.integer({ min: 0, max: 100_000 }),
    // The schema's pattern admits any three letters; only active ISO 4217 codes (and the SKUs' own) are valid (issue 10).
    currency: only(fc.constantFrom("usd", "USD")),
    "idempotency-key": fc.constantFrom("fuzz-key-1", "fuzz-key-2", "fuzz-key-3"),
    limit: fc.integer({ min: 1, max: 5 }),
    cursor: pick(pools.cursors[op.key] ?? []),
  };
}

interface Parts {
  path: Record<string, string>;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  body?: unknown;
  auth: AuthSpec;
}

/** Valid credentials for the operation: usually the one it asks for, sometimes the other kind (a 403). */
function validAuth(op: Operation, subs: fc.Arbitrary<string>): fc.Arbitrary<AuthSpec> {
  const none = fc.constant<AuthSpec>({ kind: "none" });
  const sec = op.security;
  if (sec === null)
    return fc.oneof({ arbitrary: none, weight: 3 }, { arbitrary: merchant(), weight: 1 }, { arbitrary: shopper(subs), weight: 1 });
  const want = (k: "merchant" | "shopper") => (k === "merchant" ? merchant() : shopper(subs));
  const other = sec.includes("merchant") ? shopper(subs) : merchant();
  return sec.length > 1 ? fc.oneof(...sec.map(want)) : fc.oneof({ arbitrary: want(sec[0]!), weight: 9 }, { arbitrary: other, weight: 1 });
}

/**
 * A valid header value as a client can send it: HTTP carries header values as
 * bytes, and fetch in a browser refuses anything outside Latin-1, so a schema's
 * string (an If-None-Match, say) is drawn in printable ASCII. Broken values
 * (breakHeader) still try Latin-1, tabs and the rest.
 */
function printableAscii(value: string): string {
  return value.replace(/[^\x20-\x7e]/gu, "x");
}

function parts(doc: Doc, op: Operation, hints: Hints, subs: fc.Arbitrary<string>): fc.Arbitrary<Parts> {
  const path: Record<string, fc.Arbitrary<unknown>> = {};
  const query: Record<string, fc.Arbitrary<unknown>> = {};
  const headers: Record<string, fc.Arbitrary<unknown>> = {};
  const requiredQuery: string[] = [];
  const requiredHeaders: string[] = [];
  for (const p of op.params) {
    const arb = valid(doc, p.schema, hints, p.name);
    if (p.in === "path") path[p.name] = arb;
    if (p.in === "query") {
      query[p.name] = arb;
      if (p.required) requiredQuery.push(p.name);
    }
    if (p.in === "header") {
      headers[p.name] = arb;
      if (p.required) requiredHeaders.push(p.name);
    }
  }
  return fc
    .record({
      path: fc.record(path),
      query: fc.record(query, { requiredKeys: requiredQuery as never[] }),
      headers: fc.record(headers, { requiredKeys: requiredHeaders as never[] }),
      body: op.body ? valid(doc, op.body, hints) : fc.constant(undefined),
      auth: validAuth(op, subs),
    })
    .map((r) => ({
      path: Object.fromEntries(Object.entries(r.path).map(([k, v]) => [k, encodeLoose(String(v))])),
      query: Object.entries(r.query).map(([k, v]) => [k, encodeLoose(String(v))] as [string, string]),
      headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, printableAscii(String(v))])),
      body: r.body,
      auth: r.auth,
    }));
}

/** Semantic nudges the schema cannot express, applied to most (not all) valid requests. */
function fixups(op: Operation, p: Parts, roll: number, pools: Pools): Parts {
  if (roll < 0.15) return p;
  // An opaque cursor the API never handed out is a 400: send one of its own, or mostly none.
  const cursors = pools.cursors[op.key] ?? [];
  if (roll > 0.4 && p.query.some(([k, v]) => k === "cursor" && !cursors.includes(decodeURIComponent(v))))
    p = { ...p, query: p.query.filter(([k]) => k !== "cursor") };
  // A hold's id names its SKU: ask for it under that SKU.
  const hold = pools.holds.find((h) => encodeURIComponent(h.holdId) === p.path.holdId);
  if (hold) p = { ...p, path: { ...p.path, sku: encodeURIComponent(hold.sku) } };
  if (op.key === "PUT /v1/sales/{saleId}" && p.body && typeof p.body === "object") {
    // Items name SKUs that exist, each SKU once per sale (not expressible in the schema).
    const body = p.body as { items?: Array<{ sku: string }> };
    if (Array.isArray(body.items)) {
      const items = body.items.map((it, i) => ({ ...it, sku: pools.scratch[i % pools.scratch.length]! }));
      p = { ...p, body: { ...body, items: items.filter((it, i) => items.findIndex((x) => x.sku === it.sku) === i) } };
    }
    const now = Date.now();
    const startsAt = new Date(now - Math.floor(roll * 3_600_000)).toISOString();
    const endsAt = new Date(now + 3_600_000 + Math.floor(roll * 86_400_000)).toISOString();
    p = { ...p, body: { ...(p.body as object), startsAt, endsAt } };
  }
  if (op.key === "POST /v1/checkout" && p.body && typeof p.body === "object" && p.auth.kind === "shopper") {
    // Check out what this shopper holds, or a few units of what sells.
    const sub = p.auth.sub;
    const body = p.body as { holdIds?: string[]; items?: Array<{ sku: string; quantity: number }> };
    const own = pools.holds.filter((h) => h.customerId === sub).map((h) => h.holdId);
    if (body.holdIds && own.length > 0) p = { ...p, body: { ...body, holdIds: own.slice(-2) } };
    if (body.items)
      p = {
        ...p,
        body: {
          ...body,
          items: body.items
            .slice(0, 2)
            .map((_, i) => ({ sku: pools.sellable[(i + Math.floor(roll * 10)) % pools.sellable.length]!, quantity: 1 + (i % 2) })),
        },
      };
  }
  return p;
}

function toRequest(op: Operation, p: Parts, extra: Partial<FuzzRequest> = {}): FuzzRequest {
  return {
    op,
    path: p.path,
    query: p.query,
    headers: p.headers,
    auth: p.auth,
    ...(p.body !== undefined && { body: { json: p.body } }),
    ...extra,
  };
}

/** A uniform number in [0, 1) that decides which nudges apply (fc.double leans to the edges). */
const ROLL = fc.noBias(fc.integer({ min: 0, max: 999 })).map((n) => n / 1000);

const customerIds = (pools: Pools) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...pools.customers), weight: 3 },
    { arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:@|-]{0,30}$/), weight: 1 },
  );

export function validRequests(doc: Doc, op: Operation, pools: Pools): fc.Arbitrary<FuzzRequest> {
  const hints = hintsFor(op, pools, "valid");
  return fc
    .tuple(
      parts(doc, op, hints, customerIds(pools)),
      ROLL,
      fc.constantFrom(undefined, undefined, undefined, "application/json; charset=utf-8", "Application/JSON"),
    )
    .map(([p, roll, ct]) => toRequest(op, fixups(op, p, roll, pools), op.body && ct ? { contentType: ct } : {}));
}

/** Query values that are not decimal integers in range. `non-decimal:*` ones parse as numbers in lax parsers. */
function breakQueryInteger(s: Schema): Variant[] {
  const out: Variant[] = [
    { value: "abc", label: "not-a-number" },
    { value: "", label: "empty" },
    { value: "1.5", label: "fraction" },
    { value: "NaN", label: "not-a-number:NaN" },
    { value: "Infinity", label: "not-a-number:Infinity" },
    { value: "0x10", label: "non-decimal:hex" },
    { value: "1e1", label: "non-decimal:exponent" },
    { value: "0b11", label: "non-decimal:binary" },
    { value: " 5", label: "non-decimal:leading-space" },
    { value: "\u0665", label: "non-decimal:arabic-indic-digit" },
    { value: "9".repeat(400), label: "huge" },
  ];
  if (typeof s.minimum === "number") out.push({ value: String(s.minimum - 1), label: "below-minimum" }, { value: "-1", label: "negative" });
  if (typeof s.maximum === "number") out.push({ value: String(s.maximum + 1), label: "above-maximum" });
  return out;
}

/** Header values that a Request can carry (ByteString, no CR/LF/NUL, not trimmed away) yet the schema refuses. */
function breakHeader(s: Schema): Variant[] {
  const candidates = [
    ...breakValue(s),
    { value: "caf\u00e9", label: "latin1" },
    { value: "a\tb", label: "tab" },
    { value: "a".repeat(4096), label: "huge" },
    // biome-ignore lint/suspicious/noControlCharactersInRegex: a header value may carry these bytes (RFC 9110 obs-text and controls but NUL, CR, LF).
  ].filter((v) => typeof v.value === "string" && /^[\x01-\x09\x0b\x0c\x0e-\xff]*$/.test(v.value) && !/^\s|\s$/.test(v.value));
  return certainlyInvalid(s, candidates);
}

const NOT_JSON = ["{", "quantity=1", "{'quantity':1}", "[1,", "NaN", '{"a":1}garbage', "\u0000", "undefined", '{"a":1,}', "<xml/>"];
const WRONG_MEDIA = [
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/json-patch+json",
  "application/merge-patch+json",
  "text/json",
  "application/xml",
  "application/octet-stream",
];

/** The API's body limit (src/app.ts). */
const MAX_BODY_BYTES = 16 * 1024;

/**
 * A kind of breakage first (wrong type, pattern, bounds, missing member, ...),
 * then one of its variants: otherwise the many wrong-type variants of every
 * member would crowd out the rarer kinds.
 */
function oneOfEachKind<T extends { mutation: string }>(variants: T[]): fc.Arbitrary<T> {
  const kinds = new Map<string, T[]>();
  for (const v of variants) {
    const kind = v.mutation.replace(/@.*$/, "").replace(/:.*$/, "");
    kinds.set(kind, [...(kinds.get(kind) ?? []), v]);
  }
  return fc.constantFrom(...kinds.values()).chain((group) => fc.constantFrom(...group));
}

type Mutator = (p: Parts) => Array<{ req: Partial<FuzzRequest> & { parts?: Parts }; mutation: string; expect: number[] }>;

/** Null when the operation takes no input at all (nothing to break). */
export function invalidRequests(doc: Doc, op: Operation, pools: Pools): fc.Arbitrary<FuzzRequest> | null {
  const hints = hintsFor(op, pools, "invalid");
  // The credential the operation asks for, spelt "Bearer": the one broken thing is then the only one.
  const canonical = (a: AuthSpec): AuthSpec => {
    if (a.kind !== "merchant" && a.kind !== "shopper") return a;
    if (op.security && !op.security.includes(a.kind))
      return a.kind === "merchant"
        ? { kind: "shopper", sub: pools.customers[0]!, scheme: "Bearer" }
        : { kind: "merchant", scheme: "Bearer" };
    return { ...a, scheme: "Bearer" };
  };
  const base = fc
    .tuple(parts(doc, op, hints, customerIds(pools)), ROLL)
    .map(([p, roll]) => fixups(op, { ...p, auth: canonical(p.auth) }, roll, pools));
  const mutators: Mutator[] = [];
  const bodySchema = op.body;

  if (bodySchema) {
    mutators.push((p) =>
      certainlyInvalid(bodySchema, breakages(bodySchema, p.body)).map((v) => ({
        req: { parts: { ...p, body: v.value } },
        mutation: `body.${v.label}`,
        // A breakage that makes the body too long (101 sale items, a 20,000-character name) may be refused for its size first.
        expect: new TextEncoder().encode(JSON.stringify(v.value)).length > MAX_BODY_BYTES ? [413] : [400],
      })),
    );
    mutators.push((p) => [
      ...NOT_JSON.map((raw) => ({ req: { body: { raw } }, mutation: `body.not-json`, expect: [400] })),
      { req: { body: { raw: "" } }, mutation: "body.empty", expect: [400] },
      { req: { body: { raw: `{"x":${"[".repeat(5000)}${"]".repeat(5000)}}` } }, mutation: "body.deeply-nested", expect: [400] },
      {
        req: { body: { raw: JSON.stringify(p.body).replace(/^\{/, '{"__proto__":{"admin":true},') } },
        mutation: "body.__proto__",
        expect: [400],
      },
      { req: { body: { raw: `${JSON.stringify(p.body)}${" ".repeat(17 * 1024)}` } }, mutation: "body.huge:whitespace", expect: [413] },
      { req: { body: { json: { ...(p.body as object), pad: "a".repeat(17 * 1024) } } }, mutation: "body.huge:member", expect: [413] },
      {
        req: { body: { json: Array.from({ length: Math.ceil((17 * 1024) / JSON.stringify(p.body).length) + 1 }, () => p.body) } },
        mutation: "body.huge:array",
        expect: [413],
      },
    ]);
    mutators.push((p) => [
      ...WRONG_MEDIA.map((ct) => ({ req: { body: { json: p.body }, contentType: ct }, mutation: `content-type:${ct}`, expect: [415] })),
      { req: { body: { json: p.body }, contentType: null }, mutation: "content-type:(none)", expect: [415] },
      ...(op.bodyRequired ? [{ req: { body: undefined }, mutation: "body.absent", expect: [400, 415] }] : []),
    ]);
  }
  const pathParams = op.params.filter((x) => x.in === "path");
  if (pathParams.length > 0) {
    mutators.push((p) =>
      pathParams.flatMap((param) =>
        certainlyInvalid(param.schema, breakValue(param.schema))
          // "" and ".." change which route the URL names; a wrong type is meaningless in a URL.
          .filter((v) => typeof v.value === "string" && v.value !== "" && v.label !== "pattern:dot-dot")
          .map((v) => ({
            req: { parts: { ...p, path: { ...p.path, [param.name]: encodeLoose(String(v.value)) } } },
            mutation: `path.${param.name}.${v.label}`,
            expect: [400],
          })),
      ),
    );
  }
  const queryParams = op.params.filter((x) => x.in === "query");
  if (queryParams.length > 0) {
    mutators.push((p) =>
      queryParams.flatMap((param) => {
        const variants =
          param.schema.type === "integer"
            ? breakQueryInteger(param.schema)
            : breakValue(param.schema).filter((v) => typeof v.value === "string");
        return variants.map((v) => ({
          req: {
            parts: {
              ...p,
              query: [...p.query.filter(([k]) => k !== param.name), [param.name, encodeLoose(String(v.value))] as [string, string]],
            },
          },
          mutation: `query.${param.name}.${v.label}`,
          expect: [400],
        }));
      }),
    );
  }
  const headerParams = op.params.filter((x) => x.in === "header");
  if (headerParams.length > 0) {
    mutators.push((p) =>
      headerParams.flatMap((param) =>
        breakHeader(param.schema).map((v) => ({
          req: { parts: { ...p, headers: { ...p.headers, [param.name]: String(v.value) } } },
          mutation: `header.${param.name}.${v.label}`,
          expect: [400],
        })),
      ),
    );
  }
  const authMutation = fc
    .tuple(
      base,
      customerIds(pools).chain((sub) => forged(sub, { publicRoute: op.security === null })),
    )
    .map(([p, a]) =>
      toRequest(op, { ...p, auth: a }, { mutation: `auth.${a.kind === "jwt" || a.kind === "raw" ? a.label : a.kind}`, expect: [401] }),
    );
  const arbs: Array<fc.WeightedArbitrary<FuzzRequest>> = mutators.map((m) => ({
    weight: 3,
    arbitrary: base.chain((p) => {
      const variants = m(p);
      if (variants.length === 0) throw new Error(`${op.key}: a mutator found nothing to break in ${JSON.stringify(p)}`);
      return oneOfEachKind(variants).map((v) => {
        const { parts: q, ...rest } = v.req;
        return toRequest(op, q ?? p, { ...rest, mutation: v.mutation, expect: v.expect });
      });
    }),
  }));
  // Credentials are checked on /v1 only (/healthz is public and reads none).
  if (op.path.startsWith("/v1/")) arbs.push({ weight: 3, arbitrary: authMutation });
  if (op.security !== null) {
    // With no credential, a route may validate its input first: a base request that is
    // schema-valid but semantically wrong (an opaque cursor, a SKU listed twice) is then a 400.
    const semantic = op.body !== null || op.params.some((x) => x.in === "query");
    arbs.push({
      weight: 1,
      arbitrary: base.map((p) =>
        toRequest(op, { ...p, auth: { kind: "none" } }, { mutation: "auth.missing", expect: semantic ? [400, 401] : [401] }),
      ),
    });
  }
  return arbs.length > 0 ? fc.oneof(...arbs) : null;
}
