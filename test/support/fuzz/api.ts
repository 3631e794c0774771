import { Validator } from "@cfworker/json-schema";
import { exports } from "cloudflare:workers";
import { authorization, describeAuth, type AuthSpec } from "./auth";
import { deref, type Doc, type Schema } from "./schema";

/** One operation of /openapi.json, as the fuzzer needs it. */
export interface Operation {
  /** "PUT /v1/skus/{sku}" */
  key: string;
  method: string;
  path: string;
  params: Array<{ name: string; in: "path" | "query" | "header"; required: boolean; schema: Schema }>;
  /** The application/json request body schema, if the operation takes one. */
  body: Schema | null;
  /** An optional body (`requestBody.required` false) may be left out: its absence is a valid request. */
  bodyRequired: boolean;
  /** Who may call: null when public. */
  security: Array<"merchant" | "shopper"> | null;
  /** Documented statuses. */
  statuses: Set<number>;
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}

export function operations(doc: Doc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const bodyContent = op.requestBody?.content;
      if (bodyContent && !bodyContent["application/json"]) throw new Error(`${method} ${path}: a request body the fuzzer cannot build`);
      ops.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        params: (op.parameters ?? []).map((p: Schema) => ({
          name: p.name,
          in: p.in,
          required: p.required === true,
          schema: deref(doc, p.schema),
        })),
        body: bodyContent ? deref(doc, bodyContent["application/json"].schema) : null,
        bodyRequired: op.requestBody?.required === true,
        security: bearerSecurity(op.security),
        statuses: new Set(Object.keys(op.responses ?? {}).map(Number)),
        responses: op.responses ?? {},
      });
    }
  }
  return ops;
}

/**
 * The bearer credentials an operation requires, or null when it is public:
 * no `security`, an empty one, or alternatives that include `{}` (optional
 * auth). Other schemes (the webhook's Stripe-Signature) are not bearer tokens.
 */
function bearerSecurity(security: Array<Record<string, unknown>> | undefined): Array<"merchant" | "shopper"> | null {
  if (!security || security.some((s) => Object.keys(s).length === 0)) return null;
  const kinds = security.flatMap((s) => Object.keys(s)).filter((k): k is "merchant" | "shopper" => k === "merchant" || k === "shopper");
  return kinds.length > 0 ? kinds : null;
}

/** A request as data: printable, replayable, built into a `Request` only when sent. */
export interface FuzzRequest {
  op: Operation;
  /** Path parameters, already percent-encoded (mutations may encode on purpose what encodeURIComponent cannot). */
  path: Record<string, string>;
  /** Query pairs, already percent-encoded. */
  query: Array<[string, string]>;
  headers: Record<string, string>;
  auth: AuthSpec;
  /** A JSON value to serialise, or exact bytes. */
  body?: { json: unknown } | { raw: string };
  /** undefined: application/json when there is a body; null: no Content-Type at all. */
  contentType?: string | null;
  /** Stripe-Signature to compute over the raw body at send time. */
  stripeSign?: { secret: string; timestamp?: number; tamper?: (payload: string) => string };
  /** Set on invalid requests: which single thing was broken. */
  mutation?: string;
  /** For invalid requests: the statuses the the spec (docs/spec.md) requires. */
  expect?: number[];
  /** A further check of the answer: a violation label, or null when it is right. */
  check?: (s: Sent) => string | null;
}

/** Percent-encodes like encodeURIComponent, but writes a lone surrogate as its (invalid) UTF-8 bytes instead of throwing. */
export function encodeLoose(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        out += encodeURIComponent(s.slice(i, i + 2));
        i++;
        continue;
      }
      // CESU-8 style bytes of the lone surrogate: what a careless client sends.
      out += `%${(0xe0 | (c >> 12)).toString(16).toUpperCase()}%${(0x80 | ((c >> 6) & 0x3f)).toString(16).toUpperCase()}%${(0x80 | (c & 0x3f)).toString(16).toUpperCase()}`;
      continue;
    }
    out += encodeURIComponent(s[i]!);
  }
  return out;
}

function urlOf(r: FuzzRequest): string {
  const path = r.op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = r.path[name];
    if (v === undefined) throw new Error(`${r.op.key}: no value for path parameter ${name}`);
    return v;
  });
  const qs = r.query.map(([k, v]) => `${k}=${v}`).join("&");
  return `${path}${qs ? `?${qs}` : ""}`;
}

/**
 * A WebSocket's body is its messages: the first one is checked against what
 * the 101 documents, as JSON; the socket is then closed.
 */
async function firstMessage(res: Response): Promise<Omit<Sent, "req">> {
  const ws = res.webSocket!;
  const text = await new Promise<string>((resolve) => {
    const timer = setTimeout(() => resolve(""), 5_000);
    ws.addEventListener("message", (e) => {
      clearTimeout(timer);
      resolve(String(e.data));
    });
    ws.accept();
  });
  ws.close(1000);
  const headers = new Headers(res.headers);
  headers.set("content-type", "application/json");
  try {
    return { status: res.status, headers, text, json: JSON.parse(text), isJson: true };
  } catch {
    return { status: res.status, headers, text, json: undefined, isJson: false };
  }
}

export interface Sent {
  req: FuzzRequest;
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
  /** Whether the body parsed as JSON. */
  isJson: boolean;
}

export async function send(r: FuzzRequest): Promise<Sent> {
  const headers: Record<string, string> = { ...r.headers };
  const auth = await authorization(r.auth);
  if (auth !== undefined) headers.authorization = auth;
  let body: string | undefined;
  if (r.body) {
    body = "json" in r.body ? JSON.stringify(r.body.json) : r.body.raw;
    if (r.contentType !== null) headers["content-type"] = r.contentType ?? "application/json";
  } else if (typeof r.contentType === "string") {
    headers["content-type"] = r.contentType;
  }
  if (r.stripeSign) {
    const { default: Stripe } = await import("stripe");
    const signed = await Stripe.webhooks.generateTestHeaderStringAsync({
      payload: body ?? "",
      secret: r.stripeSign.secret,
      ...(r.stripeSign.timestamp !== undefined && { timestamp: r.stripeSign.timestamp }),
      cryptoProvider: Stripe.createSubtleCryptoProvider(),
    });
    headers["stripe-signature"] = signed;
    if (r.stripeSign.tamper && body !== undefined) body = r.stripeSign.tamper(body);
  }
  const res = await exports.default.fetch(new Request(`https://holdfast.test${urlOf(r)}`, { method: r.op.method, headers, body }));
  if (res.webSocket) return { req: r, ...(await firstMessage(res)) };
  const text = await res.text();
  let json: unknown;
  let isJson = false;
  try {
    json = JSON.parse(text);
    isJson = true;
  } catch {
    json = undefined;
  }
  return { req: r, status: res.status, headers: res.headers, text, json, isJson };
}

/** One line that says what was sent, for reports. */
export function describeRequest(r: FuzzRequest): string {
  const parts = [`${r.op.method} ${clip(urlOf(r), 200)}`, describeAuth(r.auth)];
  for (const [k, v] of Object.entries(r.headers)) parts.push(`${k}: ${clip(JSON.stringify(v), 80)}`);
  if (r.stripeSign)
    parts.push(
      `stripe-signature(${r.stripeSign.secret === "whsec_test_0123456789abcdef" ? "our secret" : "other secret"}${r.stripeSign.timestamp ? `, t=${r.stripeSign.timestamp}` : ""}${r.stripeSign.tamper ? ", body altered after signing" : ""})`,
    );
  if (r.body) {
    parts.push(`content-type: ${r.contentType === null ? "(none)" : (r.contentType ?? "application/json")}`);
    const text = "json" in r.body ? JSON.stringify(r.body.json) : r.body.raw;
    parts.push(`body(${text.length}): ${clip(escapeForReport(text), 300)}`);
  }
  return parts.join(" | ");
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s;
}

/** Shows lone surrogates and control characters, which a terminal would hide. */
function escapeForReport(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this escapes.
  return s.replace(/[\u0000-\u001f\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export function describeResponse(s: Sent): string {
  return `${s.status} ${s.headers.get("content-type") ?? "(no content-type)"} ${clip(s.text, 400)}`;
}

/**
 * Checks a response against what /openapi.json says of the operation: the
 * status is documented, errors are problem documents, and a documented body
 * validates against its schema. Returns the violations, empty when it conforms.
 */
export class Conformance {
  private readonly validators = new Map<string, Validator>();

  constructor(private readonly doc: Doc) {}

  private validator(key: string, schema: Schema): Validator {
    let v = this.validators.get(key);
    if (!v) {
      v = new Validator(deref(this.doc, schema) as never, "2020-12", false);
      this.validators.set(key, v);
    }
    return v;
  }

  check(s: Sent): string[] {
    const out: string[] = [];
    const op = s.req.op;
    const ct = (s.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (s.status >= 500) out.push(`5xx:${s.status}`);
    if (s.status >= 400) {
      if (ct !== "application/problem+json") out.push(`problem-content-type:${ct || "none"}`);
      const p = s.json as Record<string, unknown> | undefined;
      if (!s.isJson || typeof p !== "object" || p === null) out.push("problem-not-json");
      else {
        if (typeof p.code !== "string") out.push("problem-code");
        if (p.status !== s.status) out.push("problem-status");
        if (typeof p.detail !== "string") out.push("problem-detail");
      }
    }
    if (!op.statuses.has(s.status)) out.push(`undocumented-status:${s.status}`);
    const documented = op.responses[String(s.status)]?.content;
    if (documented && s.status < 500) {
      const entry = documented[ct];
      // A documented text body (GET /metrics) is checked as the string its schema says.
      const textual = !ct.endsWith("json");
      if (!entry) out.push(`undocumented-content-type:${s.status}:${ct || "none"}`);
      else if (!textual && !s.isJson) out.push(`body-not-json:${s.status}`);
      else {
        const result = this.validator(`${op.key} ${s.status} ${ct}`, entry.schema).validate(textual ? s.text : s.json);
        if (!result.valid) {
          const first = result.errors.filter((e) => e.keyword !== "properties" && e.keyword !== "$ref").slice(0, 3);
          out.push(`schema:${s.status}:${first.map((e) => `${e.instanceLocation} ${e.error}`).join("; ")}`);
        }
      }
    }
    return out;
  }
}
