import { AsyncLocalStorage } from "node:async_hooks";
import { z } from "zod";
import { randomHex } from "./random-hex";

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): one trace id
 * follows a shopper's request from the edge through the SKU objects and the
 * queues, so every log line of one purchase can be found by it. The context
 * of the running work lives in an AsyncLocalStorage, so the logger and the
 * producers read it without every function passing it on; an object call or
 * a queue message carries it as a `traceparent` string and the receiver runs
 * its work under it.
 */

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZEROS = /^0+$/;

/**
 * `version-traceId-parentId-flags`, lower-case hex. Version ff and all-zero ids
 * are invalid; version 00 has exactly four fields, a later version may append
 * more, which are ignored (Trace Context §3.2, §4.3).
 */
export const TraceparentSchema = z
  .string()
  .max(512)
  .trim()
  .regex(TRACEPARENT)
  .transform((s) => TRACEPARENT.exec(s)!.slice(1))
  .refine(
    ([version, traceId, parentId, , rest]) =>
      version !== "ff" && !(version === "00" && rest) && !ZEROS.test(traceId!) && !ZEROS.test(parentId!),
  )
  .transform(([, traceId, parentId, flags]) => ({ traceId: traceId!, parentId: parentId!, flags: flags! }));

export interface TraceContext {
  traceId: string;
  /** This unit of work's own span id: what a callee names as its parent. */
  spanId: string;
  /** The caller's span, when the trace came from outside. */
  parentId: string | null;
  flags: string;
}

/**
 * The context for work that a `traceparent` started: its trace continued in a
 * new span, or (absent or malformed: never an error) a new trace.
 */
export function traceFrom(traceparent: string | null | undefined): TraceContext {
  const parsed = traceparent ? TraceparentSchema.safeParse(traceparent) : null;
  if (parsed?.success) return { ...parsed.data, spanId: randomHex(8) };
  return { traceId: randomHex(16), spanId: randomHex(8), parentId: null, flags: "01" };
}

/** The header value naming `ctx` as the parent of what it calls. */
export function formatTraceparent(ctx: TraceContext): string {
  return `00-${ctx.traceId}-${ctx.spanId}-${ctx.flags}`;
}

const store = new AsyncLocalStorage<TraceContext>();

/** Runs `fn` under `ctx`: every log line and every message it sends carries the trace. */
export function runInTrace<T>(ctx: TraceContext, fn: () => T): T {
  return store.run(ctx, fn);
}

/** Runs `fn` as a new span of the trace `traceparent` names (a new trace when absent or malformed). */
export function traced<T>(traceparent: string | null | undefined, fn: () => T): T {
  return store.run(traceFrom(traceparent), fn);
}

export function currentTrace(): TraceContext | undefined {
  return store.getStore();
}

/** What an object call or a queue message carries: the running work as the parent; undefined outside any trace. */
export function currentTraceparent(): string | undefined {
  const ctx = store.getStore();
  return ctx ? formatTraceparent(ctx) : undefined;
}

/** A message field: a malformed `traceparent` is dropped (the consumer starts a new trace), never a reason to reject the message. */
export const MessageTraceparent = z.string().max(128).optional().catch(undefined);

/** A queue message's body with the running work's trace, so its consumer continues the trace. */
export function withTraceparent<T extends object>(body: T): T & { traceparent?: string } {
  const traceparent = currentTraceparent();
  return traceparent ? { ...body, traceparent } : body;
}

/**
 * Handles every message of a queue batch at once, each in the trace of the
 * work that queued it: one slow message (a bank, a merchant's endpoint) must
 * not hold up the rest. `handle` acks or retries its own message and does not
 * throw; messages of one batch may name the same thing, so it must tolerate that.
 */
export async function eachMessage<T>(batch: MessageBatch<T>, handle: (msg: Message<T>) => Promise<void>): Promise<void> {
  await Promise.all(batch.messages.map((msg) => traced(traceOf(msg.body), () => handle(msg))));
}

/** The `traceparent` a queue message body carries, if any (read before the body is validated, so a bad body is logged in its trace). */
export function traceOf(body: unknown): string | undefined {
  const t = typeof body === "object" && body !== null ? (body as { traceparent?: unknown }).traceparent : undefined;
  return typeof t === "string" ? t : undefined;
}
