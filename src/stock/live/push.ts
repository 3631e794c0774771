import { levelsKey, type LiveLevels } from "../../domain/live";
import { problemResponse } from "../../http/problem";
import type { Log } from "../../platform/log";

/** Bounds and pacing of live stock push (spec §10). */
export const LIVE = {
  /** At most one message per socket per window: about 4 a second. */
  window_ms: 250,
  /**
   * Frames one object sends a second at most: with more sockets the window
   * widens instead (1,000 sockets: one message a second), so watchers cost
   * the hold path a bounded share of the object's time, however many there are.
   */
  sends_per_second_max: 1_000,
  /** Sockets one SKU's object serves; more are refused with a 503 rather than slowing every push. */
  sockets_max: 10_000,
  /** Failed reads of the levels retried (one window apart) before the push waits for the next change. */
  read_retries_max: 3,
  /** Sockets one client address may hold on one SKU, so one client cannot take them all (issue 22 item 4). */
  sockets_per_client_max: 20,
  /** A socket that sent nothing (not even `ping`) for this long is closed (1001); clients ping to stay. */
  idle_ms: 10 * 60 * 1000,
  /** How often a broadcast also looks for idle sockets. */
  idle_sweep_every_ms: 60 * 1000,
} as const;

/** The coalescing window for this many sockets: LIVE.window_ms, widened to keep within the send budget. */
export function windowFor(sockets: number): number {
  return Math.max(LIVE.window_ms, Math.ceil((sockets * 1000) / LIVE.sends_per_second_max));
}

/** The tag of live sockets, so getWebSockets never returns another kind. */
const TAG = "live";
/** A client's keep-alive, answered by the runtime without waking a hibernated object. */
const PING = "ping";
const PONG = "pong";
/** A client asking for the levels now, e.g. after its page was in the background. */
const REFRESH = "refresh";

/** What a socket carries through hibernation: memory is lost, attachments are not. */
export interface LiveAttachment {
  sku: string;
  connectedAtMs: number;
  /** The last `refresh` (a `ping` is answered by the runtime, which keeps its own timestamp). */
  lastMessageAtMs?: number;
}

/** The tag of one client address's sockets, to count them without reading every socket. */
const clientTag = (client: string) => `client:${client}`.slice(0, 256);

/**
 * Live sockets of one SKU's object, on the WebSocket Hibernation API, and the
 * coalescing of pushes. A change only marks the levels dirty and, when none
 * is pending, sets one timer for the end of the current window; the timer
 * reads the levels then, so the last state is never dropped, and sends only
 * if they differ from what was last sent. With no socket attached a change
 * costs one comparison. The timer lives only while a push is pending, so an
 * idle object still hibernates with its sockets open.
 */
export class LivePush {
  /** Open sockets; counted again at each start, since hibernation keeps sockets and drops memory. */
  private watchers: number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private flushing = false;
  private dirty = false;
  private failures = 0;
  private lastKey: string | null = null;
  private lastSentMs = 0;
  private lastSweepMs = 0;

  constructor(
    private readonly ctx: DurableObjectState,
    /** The SKU's public levels now (the whole SKU's, for a sharded one); null when it does not exist. */
    private readonly read: () => Promise<LiveLevels | null>,
    private readonly log: Log,
  ) {
    this.watchers = ctx.getWebSockets(TAG).length;
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  get watching(): boolean {
    return this.watchers > 0;
  }

  /** Accepts an upgrade from a client `address` (when known): the socket gets the current levels at once, then every change. */
  async accept(sku: string, address: string | null = null): Promise<Response> {
    if (this.watchers >= LIVE.sockets_max) this.closeIdle(Date.now());
    if (address !== null && this.ctx.getWebSockets(clientTag(address)).length >= LIVE.sockets_per_client_max) {
      return problemResponse(
        "rate_limited",
        `This address already has ${LIVE.sockets_per_client_max} live sockets on this SKU.`,
        { retryAfterSeconds: 30 },
        { "retry-after": "30" },
      );
    }
    if (this.watchers >= LIVE.sockets_max) {
      return problemResponse("unavailable", `This SKU already has ${LIVE.sockets_max} live sockets.`, {}, { "retry-after": "5" });
    }
    const levels = await this.read();
    if (!levels) return problemResponse("not_found", `No SKU "${sku}".`);
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    this.ctx.acceptWebSocket(server, address === null ? [TAG] : [TAG, clientTag(address)]);
    server.serializeAttachment({ sku, connectedAtMs: Date.now() } satisfies LiveAttachment);
    // The first watcher's levels are what every socket has seen; later ones may be a window ahead of the rest.
    if (this.watchers === 0) this.lastKey = levelsKey(levels);
    this.watchers += 1;
    server.send(JSON.stringify(levels));
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Called after every change of this object (and on shard reports): cheap, never reads. */
  changed(): void {
    if (this.watchers === 0) return;
    this.dirty = true;
    this.schedule();
  }

  /**
   * A `refresh` reads the levels again: what was last sent may be stale for a
   * reason no change of this object marked (the clock passing a sale's start,
   * a shard's report still in flight). A change it finds goes to every socket.
   */
  async onMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (message !== REFRESH) {
      ws.close(1003, `Send "${PING}" or "${REFRESH}"; levels come from the server.`);
      return;
    }
    const seen = ws.deserializeAttachment() as LiveAttachment | null;
    if (seen) ws.serializeAttachment({ ...seen, lastMessageAtMs: Date.now() } satisfies LiveAttachment);
    let levels: LiveLevels | null;
    try {
      levels = await this.read();
    } catch (e) {
      this.log.error("live_read_failed", { object: this.ctx.id.toString(), error: String(e) });
      return this.changed();
    }
    if (!levels) return;
    if (levelsKey(levels) !== this.lastKey) this.broadcast(levels);
    else ws.send(JSON.stringify(levels));
  }

  /** Closes sockets that showed no sign of life for LIVE.idle_ms (bounded by the sockets there are). */
  private closeIdle(now_ms: number): void {
    this.lastSweepMs = now_ms;
    const sockets = this.ctx.getWebSockets(TAG);
    for (let i = 0; i < sockets.length && i < LIVE.sockets_max; i++) {
      const ws = sockets[i]!;
      const a = ws.deserializeAttachment() as LiveAttachment | null;
      const pinged = this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0;
      const seen_ms = Math.max(a?.connectedAtMs ?? now_ms, a?.lastMessageAtMs ?? 0, pinged);
      if (now_ms - seen_ms <= LIVE.idle_ms) continue;
      try {
        ws.close(1001, `Idle: send "${PING}" at least every ${LIVE.idle_ms / 60_000} minutes to keep the socket.`);
      } catch {
        // Already closing.
      }
    }
  }

  onClose(ws: WebSocket, code: number): void {
    // Completes the closing handshake where the runtime does not reply by itself (a no-op where it did).
    // 1005 and 1006 only describe a close, they cannot be sent.
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, "closed");
    } catch {
      // Already closed.
    }
    this.watchers = this.ctx.getWebSockets(TAG).filter((w) => w !== ws && w.readyState === WebSocket.OPEN).length;
    if (this.watchers === 0) this.forget();
  }

  /** Sockets gone: the next first watcher starts from a fresh read. */
  private forget(): void {
    this.lastKey = null;
  }

  private schedule(): void {
    if (this.timer !== null || this.flushing) return;
    const wait_ms = Math.max(0, this.lastSentMs + windowFor(this.watchers) - Date.now());
    this.timer = setTimeout(() => void this.flush(), wait_ms);
  }

  /** One read, one broadcast; changes that land meanwhile schedule the next window's. */
  private async flush(): Promise<void> {
    this.timer = null;
    this.flushing = true;
    this.dirty = false;
    try {
      const levels = await this.read();
      this.failures = 0;
      if (levels && levelsKey(levels) !== this.lastKey) this.broadcast(levels);
    } catch (e) {
      this.failures += 1;
      this.log.error("live_read_failed", { object: this.ctx.id.toString(), error: String(e) });
      if (this.failures <= LIVE.read_retries_max) this.dirty = true;
    } finally {
      this.flushing = false;
      if (this.dirty && this.watchers > 0) this.schedule();
    }
  }

  private broadcast(levels: LiveLevels): void {
    this.lastKey = levelsKey(levels);
    this.lastSentMs = Date.now();
    if (this.lastSentMs - this.lastSweepMs >= LIVE.idle_sweep_every_ms) this.closeIdle(this.lastSentMs);
    const text = JSON.stringify(levels);
    const sockets = this.ctx.getWebSockets(TAG);
    let open = 0;
    for (let i = 0; i < sockets.length && i < LIVE.sockets_max; i++) {
      const ws = sockets[i]!;
      try {
        ws.send(text);
        open += 1;
      } catch {
        // Closing under us: its close handler recounts.
      }
    }
    this.watchers = open;
  }
}
