/** A minimal JSON client for the dev server, enough for seeding and health checks. */

export interface Reply {
  status: number;
  body: any;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export class Api {
  readonly origin: string;

  constructor(origin: string) {
    this.origin = origin;
  }

  async call(method: string, path: string, options: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(`${this.origin}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: keep the text for the error message.
    }
    return { status: res.status, body };
  }

  /** Calls and insists on one of `ok`; anything else is a seeding bug worth stopping for. */
  async expect(ok: number[], method: string, path: string, options: CallOptions = {}): Promise<Reply> {
    const reply = await this.call(method, path, options);
    if (!ok.includes(reply.status)) {
      throw new Error(`${method} ${path} -> ${reply.status}: ${JSON.stringify(reply.body)}`);
    }
    return reply;
  }

  /**
   * Polls GET /healthz until it answers 200. `stillRunning` lets the caller
   * stop waiting for a server that has already exited.
   */
  async waitHealthy(stillRunning: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = "no answer yet";
    while (Date.now() < deadline) {
      if (!stillRunning()) throw new Error("wrangler dev exited before the server was ready");
      try {
        const res = await fetch(`${this.origin}/healthz`, { signal: AbortSignal.timeout(2_000) });
        if (res.status === 200) return;
        last = `${res.status} ${await res.text()}`;
      } catch (err) {
        last = String(err);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${this.origin}/healthz did not answer 200 within ${timeoutMs / 1000}s (${last})`);
  }
}
