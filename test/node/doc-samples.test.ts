/**
 * The docs may not drift from the API. Every ```json block in README.md and
 * docs/*.md (docs/spec.md, the contract, aside) carries an annotation on the
 * line above it saying what it is:
 *
 *   <!-- sample: GET /v1/skus/{sku} 200 -->          a response of that operation
 *   <!-- sample: request PUT /v1/sales/{saleId} -->  the request body of that operation
 *   <!-- sample: schema LiveLevels -->               an instance of a component schema
 *   <!-- sample: seed file -->                       a file `npm run seed` reads
 *
 * optionally followed by `from <step>`: the step of scripts/doc-samples.ts
 * (`npm run docs:samples`) whose response the sample is, rewritten on each run.
 *
 * and is validated against client/openapi.json (which client-schema.node.test.ts
 * keeps equal to what GET /openapi.json serves). Objects are closed: a sample may
 * carry no property its schema does not declare, and must carry every required
 * one, so a field the API gained or lost fails here. A block without an
 * annotation fails too. Relative links in the same files must resolve inside
 * the repository, headings included.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { Validator } from "@cfworker/json-schema";
import { describe, expect, it } from "vitest";
import { SeedFile } from "../../scripts/seed/format.ts";
import { ROOT } from "../support/node/contract-doc.ts";

// biome-ignore lint/suspicious/noExplicitAny: schema nodes are arbitrary JSON, walked by key
type Schema = Record<string, any>;

const DOC = JSON.parse(readFileSync(path.join(ROOT, "client", "openapi.json"), "utf8")) as Schema;
const PAGES = [
  "README.md",
  ...readdirSync(path.join(ROOT, "docs")).flatMap((f) => (f.endsWith(".md") && f !== "spec.md" ? [`docs/${f}`] : [])),
];

interface Block {
  page: string;
  line: number;
  lang: string;
  annotation: string | null;
  text: string;
}

function codeBlocks(page: string): Block[] {
  const lines = readFileSync(path.join(ROOT, page), "utf8").split("\n");
  const blocks: Block[] = [];
  const line = (n: number) => lines[n] ?? "";
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})(\S*)\s*$/.exec(line(i));
    if (!open) continue;
    const [, indent = "", fence = "", lang = ""] = open;
    let j = i + 1;
    while (j < lines.length && line(j).trim() !== fence) j++;
    let k = i - 1;
    while (k >= 0 && line(k).trim() === "") k--;
    // `from <step>` names the step of scripts/doc-samples.ts the sample was taken from.
    const annotation = /^\s*<!--\s*sample:\s*(.+?)(?:\s+from\s+[\w-]+)?\s*-->\s*$/.exec(line(k))?.[1] ?? null;
    const text = lines
      .slice(i + 1, j)
      .map((l) => l.slice(indent.length))
      .join("\n");
    blocks.push({ page, line: i + 1, lang, annotation, text });
    i = j;
  }
  return blocks;
}

/** Inlines `$ref`s into components (the document has no recursive schema). */
function deref(node: unknown, depth = 0): unknown {
  if (depth > 64) throw new Error("schema nesting too deep (a recursive $ref?)");
  if (Array.isArray(node)) return node.map((n) => deref(n, depth + 1));
  if (!node || typeof node !== "object") return node;
  const o = node as Schema;
  if (typeof o.$ref === "string") {
    const target = o.$ref
      .replace(/^#\//, "")
      .split("/")
      .reduce((at: Schema | undefined, key: string) => at?.[key], DOC);
    if (target === undefined) throw new Error(`unresolved ${o.$ref}`);
    const { $ref: _, ...rest } = o;
    return deref({ ...target, ...rest }, depth + 1);
  }
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, deref(v, depth + 1)]));
}

const isEmptySchema = (s: unknown) => s === true || (!!s && typeof s === "object" && Object.keys(s).length === 0);

/**
 * Closes every object schema that declares its properties (an `additionalProperties`
 * that is a real schema, like a map of counts, stays). allOf branches are merged
 * first: closed one by one they would refuse each other's properties.
 */
function close(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(close);
  if (!node || typeof node !== "object") return node;
  let o = Object.fromEntries(Object.entries(node as Schema).map(([k, v]) => [k, close(v)])) as Schema;
  if (Array.isArray(o.allOf) && o.allOf.every((b: Schema) => b.properties)) {
    const { allOf, ...rest } = o;
    o = {
      ...rest,
      type: "object",
      properties: Object.assign({}, ...allOf.map((b: Schema) => b.properties)),
      required: allOf.flatMap((b: Schema) => b.required ?? []),
    };
    delete o.additionalProperties;
  }
  if (o.properties && (o.additionalProperties === undefined || isEmptySchema(o.additionalProperties))) o.additionalProperties = false;
  return o;
}

function operation(method: string, route: string): Schema {
  const op = DOC.paths?.[route]?.[method.toLowerCase()];
  if (!op) throw new Error(`no operation ${method} ${route} in client/openapi.json`);
  return op;
}

function jsonSchema(content: Schema | undefined, what: string): Schema {
  const media = content?.["application/json"] ?? content?.["application/problem+json"];
  if (!media?.schema) throw new Error(`${what} has no JSON schema`);
  return media.schema;
}

/** The schema an annotation names, or a check of its own (the seed file). */
function schemaFor(annotation: string): Schema | ((value: unknown) => string[]) {
  const request = /^request (GET|PUT|POST|DELETE) (\S+)$/.exec(annotation);
  if (request) {
    const [, method = "", route = ""] = request;
    return jsonSchema(operation(method, route).requestBody?.content, annotation);
  }
  const response = /^(GET|PUT|POST|DELETE) (\S+) (\d{3})$/.exec(annotation);
  if (response) {
    const [, method = "", route = "", status = ""] = response;
    const documented = operation(method, route).responses?.[status];
    if (!documented) throw new Error(`${method} ${route} documents no ${status}`);
    return jsonSchema((deref(documented) as Schema).content, annotation);
  }
  const named = /^schema (\w+)$/.exec(annotation)?.[1];
  if (named) {
    const schema = DOC.components?.schemas?.[named];
    if (!schema) throw new Error(`no component schema ${named}`);
    return schema;
  }
  if (annotation === "seed file") {
    return (value) => {
      const parsed = SeedFile.safeParse(value);
      return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
  }
  throw new Error(`unknown sample annotation "${annotation}"`);
}

function validator(schema: Schema): (value: unknown) => string[] {
  const v = new Validator(close(deref(schema)) as Schema, "2020-12", false);
  return (value) => {
    const r = v.validate(value);
    return r.valid ? [] : r.errors.map((e) => `${e.instanceLocation} ${e.error}`);
  };
}

const samples = PAGES.flatMap(codeBlocks).filter((b) => b.lang === "json");

describe("JSON samples in the docs", () => {
  it("are all annotated with what they are", () => {
    const bare = samples.filter((b) => !b.annotation).map((b) => `${b.page}:${b.line}`);
    expect(bare, "add <!-- sample: … --> on the line above each ```json block").toEqual([]);
    expect(samples.length).toBeGreaterThan(20);
  });

  for (const b of samples) {
    const annotation = b.annotation;
    if (!annotation) continue;
    it(`${b.page}:${b.line} is a current ${annotation}`, () => {
      const value = JSON.parse(b.text) as unknown;
      const target = schemaFor(annotation);
      const check = typeof target === "function" ? target : validator(target);
      expect(check(value)).toEqual([]);
      if (typeof target === "function" || !value || typeof value !== "object" || Array.isArray(value)) return;
      // The check has teeth for this very sample: a stale field and a missing one both fail.
      expect(check({ ...value, staleField: 1 }), "an undeclared property must fail").not.toEqual([]);
      const schema = close(deref(target)) as Schema;
      const required = (schema.required as string[] | undefined)?.find((k) => k in value);
      if (required) {
        const { [required]: _, ...without } = value as Record<string, unknown>;
        expect(check(without), `dropping required ${required} must fail`).not.toEqual([]);
      }
    });
  }
});

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchors(page: string): Set<string> {
  const text = readFileSync(page, "utf8").replace(/^(`{3,})[\s\S]*?^\1/gm, "");
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const [, title = ""] of text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = title
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

describe("links in the docs", () => {
  for (const page of PAGES) {
    it(`${page}: every relative link resolves inside the repository`, () => {
      const text = readFileSync(path.join(ROOT, page), "utf8").replace(/^(\s*)(`{3,})[\s\S]*?^\s*\2/gm, "");
      const broken: string[] = [];
      for (const [, target = ""] of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        if (/^[a-z]+:/i.test(target)) continue;
        const [file, hash] = target.split("#");
        const resolved = file ? path.resolve(ROOT, path.dirname(page), file) : path.join(ROOT, page);
        if (path.relative(ROOT, resolved).startsWith("..")) broken.push(`${target} leaves the repository`);
        else if (!existsSync(resolved)) broken.push(`${target} does not exist`);
        else if (hash && resolved.endsWith(".md") && statSync(resolved).isFile() && !anchors(resolved).has(hash))
          broken.push(`${target}: no such heading`);
      }
      expect(broken).toEqual([]);
    });
  }
});
