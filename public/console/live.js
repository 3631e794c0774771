// Live levels of one SKU: the WebSocket GET /v1/skus/{sku}/live when the
// server has it (reconnecting with backoff), and polling the merchant view
// every 2 s whenever the socket is not open.
import { enc, get } from "./api.js";

const POLL_MS = 2_000;
const BACKOFF_MAX_MS = 30_000;

/** Calls onLevels({ sku, available, status, at, via }) on each change; returns stop(). */
export function watchLevels(sku, onLevels) {
  let stopped = false;
  let socket = null;
  let backoff_ms = 1_000;
  let pollTimer = null;
  let retryTimer = null;

  // One polling loop for the watcher's life; it fetches only while the socket is not open.
  const poll = async () => {
    if (stopped) return;
    if (socket?.readyState !== WebSocket.OPEN) {
      const r = await get(`/v1/skus/${enc(sku)}`);
      if (!stopped && r.ok)
        onLevels({ sku, available: r.body.available, status: r.body.status, at: new Date().toISOString(), via: "poll" });
    }
    if (!stopped) pollTimer = setTimeout(poll, POLL_MS);
  };

  const connect = () => {
    if (stopped) return;
    const url = new URL(`/v1/skus/${enc(sku)}/live`, location.href);
    url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
    try {
      socket = new WebSocket(url);
    } catch {
      return scheduleRetry();
    }
    socket.addEventListener("open", () => {
      backoff_ms = 1_000;
    });
    socket.addEventListener("message", (ev) => {
      try {
        const m = JSON.parse(ev.data);
        if (m.type === "levels") onLevels({ ...m, via: "live" });
      } catch {
        // not a levels message: ignore
      }
    });
    socket.addEventListener("close", () => {
      socket = null;
      if (!stopped) scheduleRetry();
    });
  };

  const scheduleRetry = () => {
    retryTimer = setTimeout(connect, backoff_ms);
    backoff_ms = Math.min(backoff_ms * 2, BACKOFF_MAX_MS);
  };

  poll();
  connect();
  return () => {
    stopped = true;
    clearTimeout(pollTimer);
    clearTimeout(retryTimer);
    socket?.close();
  };
}
