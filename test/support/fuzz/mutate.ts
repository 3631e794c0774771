import { Validator } from "@cfworker/json-schema";
import { types, type Schema } from "./schema";

/**
 * Single, certain breakages of a valid value: each candidate is checked to be
 * invalid against the schema (with a real JSON Schema validator) unless it is
 * one of the the spec (docs/spec.md)'s own rules beyond JSON Schema (lone surrogates), so an
 * "invalid" request the API accepts is a finding, never a fuzzer mistake.
 */
export interface Variant {
  value: unknown;
  label: string;
}

const LONE = ["\ud800", "a\udfffb", "\udc00\ud800"];

/** Strings the pattern refuses: the kinds of text a hostile or careless client sends. */
function patternBreakers(s: Schema): Variant[] {
  const re = new RegExp(s.pattern as string, "u");
  const max = (s.maxLength as number | undefined) ?? 64;
  const candidates: Array<[string, string]> = [
    ["leading-dash", "-x"],
    ["space", "a b"],
    ["leading-space", " a"],
    ["trailing-newline", "a\n"],
    ["nul", "a\u0000"],
    ["emoji", "a\u{1f600}"],
    ["accented", "caf\u00e9"],
    ["fullwidth", "\uff41\uff42"],
    ["rtl-override", "a\u202eb"],
    ["zero-width", "a\u200bb"],
    ["slash", "a/b"],
    ["dot-dot", ".."],
    ["percent", "a%2Fb"],
    ["html", "<script>"],
    ["sql", "x' OR '1'='1"],
    ["upper-hex", "ABCDEF"],
    ["too-long", "a".repeat(max + 1)],
    ["huge", "a".repeat(20_000)],
  ];
  for (const v of LONE) candidates.push(["lone-surrogate", v]);
  return candidates.filter(([, v]) => !re.test(v)).map(([label, v]) => ({ value: v, label: `pattern:${label}` }));
}

/** Invalid replacements for one value of schema `s` (already dereferenced). */
export function breakValue(s: Schema): Variant[] {
  const out: Variant[] = [];
  const ts = types(s);
  const wrong: Array<[string, unknown]> = [
    ["string", "5"],
    ["integer", 5],
    ["number", 1.5],
    ["boolean", true],
    ["null", null],
    ["array", []],
    ["object", {}],
  ];
  if (ts.length > 0 && !s.anyOf && !s.enum) {
    for (const [t, v] of wrong) {
      const allowed = ts.includes(t) || (t === "integer" && ts.includes("number"));
      if (!allowed) out.push({ value: v, label: `wrong-type:${t}` });
    }
  }
  if (s.enum) out.push({ value: "not-a-member", label: "enum" }, { value: `${String(s.enum[0]).toUpperCase()}_`, label: "enum" });
  if (ts.includes("integer") || ts.includes("number")) {
    if (typeof s.minimum === "number")
      out.push({ value: s.minimum - 1, label: "below-minimum" }, { value: -1e308, label: "below-minimum:-1e308" });
    if (typeof s.maximum === "number")
      out.push({ value: s.maximum + 1, label: "above-maximum" }, { value: 1e308, label: "above-maximum:1e308" });
    if (ts.includes("integer") && !ts.includes("number"))
      out.push({ value: 2.5, label: "fraction" }, { value: 2 ** 53 + 2, label: "unsafe-integer" });
  }
  if (ts.includes("string") && !s.enum) {
    if (typeof s.maxLength === "number") out.push({ value: "a".repeat(s.maxLength + 1), label: "too-long" });
    if (typeof s.minLength === "number" && s.minLength > 0) out.push({ value: "", label: "empty-string" });
    if (s.pattern) out.push(...patternBreakers(s));
    else if (s.format === "date-time") {
      out.push(
        { value: "next friday", label: "date-time:words" },
        { value: "2030-01-01T00:00:00", label: "date-time:no-zone" },
        { value: "2030-13-01T00:00:00Z", label: "date-time:month-13" },
        { value: "1700000000", label: "date-time:epoch" },
      );
    } else {
      // Free text: JSON Schema allows any string, the the spec (docs/spec.md) refuses ill-formed UTF-16.
      for (const v of LONE) out.push({ value: v, label: "lone-surrogate" });
    }
  }
  if (ts.includes("array")) {
    if (typeof s.minItems === "number" && s.minItems > 0) out.push({ value: [], label: "too-few-items" });
  }
  return out;
}

type Path = Array<string | number>;

function getAt(v: unknown, path: Path): unknown {
  return path.reduce<unknown>((acc, k) => (acc as Record<string | number, unknown> | null | undefined)?.[k], v);
}

function setAt(v: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy = (Array.isArray(v) ? [...v] : { ...(v as object) }) as Record<string | number, unknown>;
  copy[head!] = setAt(copy[head!], rest, value);
  return copy;
}

function deleteAt(v: unknown, path: Path): unknown {
  const parent = getAt(v, path.slice(0, -1));
  const copy: Record<string | number, unknown> = { ...(parent as object) };
  delete copy[path.at(-1)!];
  return setAt(v, path.slice(0, -1), copy);
}

/** The branch of an anyOf/oneOf that `value` matches, so nested members get their own schema. */
function branch(s: Schema, value: unknown): Schema {
  const alts: Schema[] | undefined = s.anyOf ?? s.oneOf;
  if (!alts) return s;
  return alts.find((a) => new Validator(a as never, "2020-12").validate(value).valid) ?? alts[0]!;
}

/** Every single-point breakage of `value` (valid for `schema`): a member, an item, or the whole. */
export function breakages(schema: Schema, value: unknown): Variant[] {
  const out: Variant[] = [];
  const walk = (s0: Schema, v: unknown, path: Path) => {
    const s = branch(s0, v);
    const at = path.join(".") || "(root)";
    for (const b of breakValue(s)) out.push({ value: setAt(value, path, b.value), label: `${b.label}@${at}` });
    if (types(s).includes("object") && v && typeof v === "object" && !Array.isArray(v)) {
      for (const r of (s.required ?? []) as string[])
        out.push({ value: deleteAt(value, [...path, r]), label: `missing-required@${[...path, r].join(".")}` });
      if (s.additionalProperties === false) {
        out.push({ value: setAt(value, [...path, "unexpected"], 1), label: `extra-member@${at}` });
        out.push({ value: setAt(value, [...path, "__proto__x"], { admin: true }), label: `extra-member@${at}` });
      }
      for (const [k, ps] of Object.entries((s.properties ?? {}) as Record<string, Schema>)) {
        if (k in (v as object)) walk(ps, (v as Record<string, unknown>)[k], [...path, k]);
      }
    }
    if (types(s).includes("array") && Array.isArray(v)) {
      if (typeof s.maxItems === "number")
        out.push({
          value: setAt(
            value,
            path,
            Array.from({ length: s.maxItems + 1 }, () => v[0] ?? 1),
          ),
          label: `too-many-items@${at}`,
        });
      if (v.length > 0 && s.items) walk(s.items, v[0], [...path, 0]);
    }
  };
  walk(schema, value, []);
  return out;
}

/** Keeps only the variants the schema refuses; the spec (docs/spec.md)-only rules (lone surrogates) are kept as they are. */
export function certainlyInvalid(schema: Schema, variants: Variant[]): Variant[] {
  const v = new Validator(schema as never, "2020-12", true);
  return variants.filter((x) => x.label.startsWith("lone-surrogate") || !v.validate(x.value).valid);
}
