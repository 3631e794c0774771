/**
 * What a viewer key may not read (spec §12): customer personal data. Today
 * that is the customer id wherever it appears (holds, orders, reports, audit
 * events' data); a reply passes through here once, after its route built it,
 * so no route has to remember.
 */
const PERSONAL = new Set(["customerId"]);
export const REDACTED = "redacted";
/** Replies are bounded (pages of at most a few hundred items), the walk too. */
const NODES_MAX = 1_000_000;

export async function withoutPersonalData(res: Response): Promise<Response> {
  const type = res.headers.get("content-type") ?? "";
  if (!/^application\/(problem\+)?json\b/.test(type) || res.body === null) return res;
  const body: unknown = await res.json();
  redact(body);
  const headers = new Headers(res.headers);
  headers.delete("content-length");
  headers.delete("etag");
  return new Response(JSON.stringify(body), { status: res.status, statusText: res.statusText, headers });
}

/** In place, with an explicit stack (a reply can nest deeper than the call stack allows). */
function redact(root: unknown): void {
  const stack: unknown[] = [root];
  for (let n = 0; stack.length > 0 && n < NODES_MAX; n++) {
    const value = stack.pop();
    if (Array.isArray(value)) stack.push(...value);
    else if (typeof value === "object" && value !== null) {
      const record = value as Record<string, unknown>;
      for (const [key, item] of Object.entries(record)) {
        if (PERSONAL.has(key) && typeof item === "string") record[key] = REDACTED;
        else if (typeof item === "string" && item.startsWith("{")) record[key] = redactedJsonText(item);
        else stack.push(item);
      }
    }
  }
  // Fail closed: a reply too large to walk is a bug, never a leak.
  if (stack.length > 0) throw new Error("reply too large to redact for a viewer");
}

/** An audit event's `data` may be its canonical JSON text: redacted inside, kept as text. */
function redactedJsonText(text: string): string {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null) return text;
    redact(parsed);
    return JSON.stringify(parsed);
  } catch {
    return text;
  }
}
