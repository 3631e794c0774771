import fc from "fast-check";

/**
 * A small JSON Schema → fast-check converter for the subset /openapi.json uses:
 * object (properties, required, additionalProperties), string (minLength,
 * maxLength, pattern, format date-time, enum), integer and number with bounds,
 * boolean, array (minItems, maxItems), anyOf/oneOf/allOf, `type: [..., "null"]`
 * and `$ref` to `#/components/schemas/*`. Anything else fails loudly, so a new
 * construct in the document is noticed rather than silently fuzzed wrong.
 */

// biome-ignore lint/suspicious/noExplicitAny: a JSON Schema is read by keyword, any keyword with any value; the fuzzer checks each value it uses.
export type Schema = { [key: string]: any };
// biome-ignore lint/suspicious/noExplicitAny: an operation object is read by key the same way.
export type Doc = { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, Schema> } };

/** Arbitraries to prefer for a property or parameter of this name: ids of things that exist. */
export type Hints = Record<string, fc.Arbitrary<unknown> | undefined>;

const KNOWN_KEYWORDS = new Set([
  "type",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "minItems",
  "maxItems",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "enum",
  "minimum",
  "maximum",
  "anyOf",
  "oneOf",
  "allOf",
  "$ref",
  "default",
  "description",
  "example",
  "title",
  "discriminator",
]);

/** The schema with every `$ref` inlined (the document has no recursive schema). */
export function deref(doc: Doc, schema: Schema, depth = 0): Schema {
  if (depth > 32) throw new Error("schema nesting too deep (recursive $ref?)");
  if (typeof schema !== "object" || schema === null) return schema;
  if (Array.isArray(schema)) return schema.map((s) => deref(doc, s, depth + 1)) as unknown as Schema;
  if (typeof schema.$ref === "string") {
    const m = /^#\/components\/schemas\/(.+)$/.exec(schema.$ref);
    const target = m ? doc.components.schemas[m[1]!] : undefined;
    if (!target) throw new Error(`unresolvable $ref ${schema.$ref}`);
    const { $ref: _ref, ...rest } = schema;
    return deref(doc, { ...target, ...rest }, depth + 1);
  }
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) {
    out[k] =
      k === "properties"
        ? Object.fromEntries(Object.entries(v as Schema).map(([p, s]) => [p, deref(doc, s as Schema, depth + 1)]))
        : typeof v === "object" && v !== null && k !== "enum" && k !== "example" && k !== "default"
          ? deref(doc, v as Schema, depth + 1)
          : v;
  }
  return out;
}

export function types(s: Schema): string[] {
  if (Array.isArray(s.type)) return s.type;
  if (typeof s.type === "string") return [s.type];
  if (s.properties) return ["object"];
  return [];
}

/** Merges `allOf` object schemas into one (enough for the document's `extend`ed objects). */
function mergeAllOf(parts: Schema[]): Schema {
  const out: Schema = { type: "object", properties: {}, required: [] };
  for (const p of parts) {
    Object.assign(out.properties, p.properties ?? {});
    out.required.push(...(p.required ?? []));
    if (p.additionalProperties === false) out.additionalProperties = false;
  }
  return out;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function intArb(min: number, max: number): fc.Arbitrary<number> {
  const lo = Math.max(min, INT32_MIN);
  const hi = Math.min(max, INT32_MAX);
  const inner = fc.integer({ min: lo, max: Math.max(lo, hi) });
  const edges = fc.constantFrom(...new Set([min, max, lo, hi]));
  // Boundaries are where off-by-one lives: one draw in four is an edge.
  return fc.oneof({ arbitrary: inner, weight: 3 }, { arbitrary: edges, weight: 1 });
}

/** Printable text: ASCII mostly, graphemes (emoji, combining marks, CJK) often. Well-formed UTF-16 only. */
export function text(minLength: number, maxLength: number): fc.Arbitrary<string> {
  const cap = Math.min(maxLength, minLength + 40);
  const units = fc
    .oneof(fc.string({ minLength, maxLength: cap, unit: "grapheme-ascii" }), fc.string({ minLength, maxLength: cap, unit: "grapheme" }))
    // JSON Schema counts code points, zod UTF-16 units: stay within both.
    .filter((v) => v.length <= maxLength);
  // A string of exactly the longest allowed length.
  const longest = fc.constant("x".repeat(Math.min(maxLength, 20_000)));
  return Number.isFinite(maxLength) && maxLength < 20_000
    ? fc.oneof({ arbitrary: units, weight: 5 }, { arbitrary: longest, weight: 1 })
    : units;
}

function withLength(arb: fc.Arbitrary<string>, s: Schema): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? Infinity;
  return arb.filter((v) => v.length >= min && v.length <= max);
}

const ISO_MIN = Date.parse("2020-01-01T00:00:00Z");
const ISO_MAX = Date.parse("2040-01-01T00:00:00Z");

/** RFC 3339 instants, in UTC or with an offset, with or without fractions. */
const isoInstant: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: ISO_MIN, max: ISO_MAX }), fc.constantFrom("Z", "+00:00", "+05:30", "-08:00"), fc.boolean())
  .map(([ms, zone, fraction]) => {
    const offsetMin = zone === "Z" ? 0 : (zone.startsWith("-") ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4)));
    const local = new Date(ms + offsetMin * 60_000).toISOString().replace("Z", "");
    return (fraction ? local : local.replace(/\.\d{3}$/, "")) + zone;
  });

/**
 * Values valid for `schema`. `name` is the property or parameter the value is for:
 * where `hints` has an arbitrary of that name it is drawn from most of the time.
 */
export function valid(doc: Doc, schema: Schema, hints: Hints = {}, name?: string): fc.Arbitrary<unknown> {
  const fromSchema = validOf(doc, schema, hints);
  const hint = name === undefined ? undefined : hints[name];
  if (hint && exclusive.has(hint)) return hint;
  return hint ? fc.oneof({ arbitrary: hint, weight: 4 }, { arbitrary: fromSchema, weight: 1 }) : fromSchema;
}

const exclusive = new WeakSet<fc.Arbitrary<unknown>>();

/**
 * A hint drawn every time: for a field whose schema admits values the server
 * refuses by a rule no schema keyword states (a currency's pattern admits any
 * three letters; only active ISO 4217 codes are prices). Otherwise a request
 * broken in one way (its credential) would also be broken in that one.
 */
export function only<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T> {
  exclusive.add(arbitrary);
  return arbitrary;
}

function validOf(doc: Doc, schema: Schema, hints: Hints): fc.Arbitrary<unknown> {
  const s = deref(doc, schema);
  for (const k of Object.keys(s)) if (!KNOWN_KEYWORDS.has(k)) throw new Error(`schema keyword not supported by the fuzzer: ${k}`);
  if (s.enum) return fc.constantFrom(...(s.enum as unknown[]));
  if (s.anyOf || s.oneOf) return fc.oneof(...(s.anyOf ?? s.oneOf).map((x: Schema) => validOf(doc, x, hints)));
  if (s.allOf) return validOf(doc, mergeAllOf(s.allOf.map((x: Schema) => deref(doc, x))), hints);
  const ts = types(s);
  if (ts.length === 0) return fc.jsonValue({ maxDepth: 2 });
  if (ts.length > 1) return fc.oneof(...ts.map((t) => validOf(doc, { ...s, type: t }, hints)));
  switch (ts[0]) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer":
      return intArb(s.minimum ?? -1_000_000_000, s.maximum ?? 1_000_000_000);
    case "number":
      return fc.double({ min: s.minimum ?? -1e9, max: s.maximum ?? 1e9, noNaN: true, noDefaultInfinity: true });
    case "string": {
      if (s.format === "date-time") return isoInstant;
      if (s.pattern) return withLength(fc.stringMatching(new RegExp(s.pattern), { size: "small" }), s);
      return text(s.minLength ?? 0, s.maxLength ?? 200);
    }
    case "array": {
      const min = s.minItems ?? 0;
      return fc.array(valid(doc, s.items ?? {}, hints), { minLength: min, maxLength: Math.min(s.maxItems ?? min + 4, min + 4) });
    }
    case "object": {
      const props: Record<string, Schema> = s.properties ?? {};
      const required: string[] = s.required ?? [];
      const model = Object.fromEntries(Object.entries(props).map(([p, ps]) => [p, valid(doc, ps, hints, p)]));
      return fc.record(model, { requiredKeys: required.filter((r) => r in props) as never[] });
    }
    default:
      throw new Error(`type not supported by the fuzzer: ${String(ts[0])}`);
  }
}
