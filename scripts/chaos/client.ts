/**
 * Requests against the runtime with the retry discipline of a careful client:
 * an unknown outcome (connection error, timeout, 5xx) or a transient refusal
 * (429) is retried with the same Idempotency-Key until a definite answer
 * comes back, waiting for the runtime to be restarted when it is down.
 * Bounded in attempts and time. Only 127.0.0.1 is ever called.
 */
import type { Runtime } from "./runtime.ts";
import { sleep } from "./runtime.ts";

export interface Answer {
  status: number;
  body: any;
  /** `code` of a problem document, else "" */
  code: string;
  replayed: boolean;
  /** Answered from the edge's cached verdict (`holdfast-cache: hit`). */
  edge: boolean;
}

export type Result =
  | { definite: true; answer: Answer; attempts: number; unknown: number; transient: number }
  | { definite: false; attempts: number; unknown: number; transient: number; last: string };

export interface Request {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  token: string;
  body?: unknown;
  /** Idempotency-Key: the same on every attempt of this request. */
  key?: string;
}

export interface Budget {
  attempts: number;
  ms: number;
}

/** A long request budget: long enough to span a restart (about 10-20 s here) a few times over. */
export const DEFAULT_BUDGET: Budget = { attempts: 12, ms: 150_000 };
const ATTEMPT_TIMEOUT_MS = 15_000;
/** Local rate limits have a 10 s period; never wait longer than that per attempt. */
const MAX_RETRY_AFTER_MS = 10_000;

export class ClientStats {
  requests = 0;
  /** Attempts whose outcome was unknown, by reason: `connection`, `timeout`, `500 internal`, ... */
  unknown: Record<string, number> = {};
  /** 429s: definite "not done", retried after Retry-After. */
  rateLimited = 0;
  note(reason: string): void {
    this.unknown[reason] = (this.unknown[reason] ?? 0) + 1;
  }
}

export class Client {
  /** Set when the run is being torn down: requests stop at once. */
  aborted = false;

  private readonly runtime: Runtime;
  readonly stats: ClientStats;

  constructor(runtime: Runtime, stats: ClientStats) {
    this.runtime = runtime;
    this.stats = stats;
  }

  async send(req: Request, budget: Budget = DEFAULT_BUDGET): Promise<Result> {
    const deadline = Date.now() + budget.ms;
    let attempts = 0;
    let unknown = 0;
    let transient = 0;
    let last = "";
    while (attempts < budget.attempts && Date.now() < deadline && !this.aborted) {
      if (!this.runtime.isUp) await this.runtime.whenUp(deadline - Date.now());
      if (this.aborted || Date.now() >= deadline) break;
      attempts++;
      this.stats.requests++;
      const outcome = await this.attempt(req, Math.min(ATTEMPT_TIMEOUT_MS, Math.max(1_000, deadline - Date.now())));
      if ("answer" in outcome) {
        const { answer, retryAfterMs } = outcome;
        if (answer.status === 429) {
          transient++;
          this.stats.rateLimited++;
          last = `429 ${answer.code}`;
          await sleep(Math.min(retryAfterMs ?? 1_000, MAX_RETRY_AFTER_MS, Math.max(0, deadline - Date.now())) + Math.random() * 250);
          continue;
        }
        if (answer.status < 500) return { definite: true, answer, attempts, unknown, transient };
        last = `${answer.status} ${answer.code}`;
        if (answer.status === 503 && retryAfterMs !== null) await sleep(Math.min(retryAfterMs, 2_000));
      } else {
        last = outcome.error;
      }
      unknown++;
      this.stats.note(last);
      // Back off while the runtime is up; a kill in progress is waited for at the top of the loop.
      if (this.runtime.isUp) await sleep(Math.min(3_000, 200 * 2 ** Math.min(unknown, 4)) * (0.5 + Math.random()));
    }
    return { definite: false, attempts, unknown, transient, last: last || "no attempt" };
  }

  private async attempt(req: Request, timeoutMs: number): Promise<{ answer: Answer; retryAfterMs: number | null } | { error: string }> {
    const headers: Record<string, string> = { authorization: `Bearer ${req.token}` };
    if (req.body !== undefined) headers["content-type"] = "application/json";
    if (req.key !== undefined) headers["idempotency-key"] = req.key;
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.runtime.origin}${req.path}`, {
        method: req.method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      const name = err instanceof Error ? err.name : "";
      return { error: name === "TimeoutError" || name === "AbortError" ? "timeout" : "connection" };
    }
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    const retryAfter = res.headers.get("retry-after");
    return {
      answer: {
        status: res.status,
        body,
        code: typeof body === "object" && body !== null && typeof body.code === "string" ? body.code : "",
        replayed: res.headers.get("idempotent-replayed") === "true",
        edge: res.headers.get("holdfast-cache") === "hit",
      },
      retryAfterMs: retryAfter !== null && /^[0-9]{1,4}$/.test(retryAfter) ? Number(retryAfter) * 1000 : null,
    };
  }
}
