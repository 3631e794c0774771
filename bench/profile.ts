/**
 * node bench/profile.ts: where does a reserve spend its time inside workerd?
 *
 * Opt-in companion to `npm run bench`. It starts the same runtime with the V8
 * inspector open, drives one kind of request (PROFILE_KIND: reserve, direct,
 * write, noop, or the edge phase's read, soldout, echo, cache) from 64
 * shoppers for PROFILE_SECONDS, records a CPU profile
 * of the bench worker's isolate (the Worker and its Durable Objects run in
 * it), saves it as bench/.out/<kind>.cpuprofile (open it in Chrome DevTools),
 * and prints self time grouped by source file and by function. Native frames
 * such as `exec` (SQLite) or `(program)` (the runtime outside JavaScript) are
 * shown as they are.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { bundleBenchWorker } from "./build.ts";
import {
  cacheMatchTarget,
  directReserveTarget,
  echoTarget,
  holdAttemptTarget,
  MerchantApi,
  noopTarget,
  oneWriteTarget,
  publicReadTarget,
  reserveTarget,
  type Target,
} from "./client.ts";
import { OUT_DIR, readDevSecrets } from "./config.ts";
import { runLoad } from "./load.ts";
import { startRuntime } from "./runtime.ts";
import { makeShoppers } from "./tokens.ts";

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  samples: number[];
  startTime: number;
  endTime: number;
}

const KIND = process.env.PROFILE_KIND ?? "reserve";
/** PROFILE_ALLOCATIONS=1 also samples the isolate's allocations (V8's sampling heap profiler) and prints bytes per request by function. */
const ALLOCATIONS = process.env.PROFILE_ALLOCATIONS === "1";
const SECONDS = Number(process.env.PROFILE_SECONDS ?? 5);
const TOP = 25;

/**
 * A minimal Chrome DevTools Protocol client: one request at a time is all this
 * needs. workerd handles inspector messages when the isolate runs, so while a
 * reply is outstanding `poke` sends the Worker a trivial request, a bounded
 * number of times.
 */
async function connect(url: string, poke: () => Promise<void>) {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.addEventListener("open", resolve, { once: true });
    ws.addEventListener("error", reject, { once: true });
  });
  let nextId = 0;
  const waiting = new Map<number, (message: { result?: any; error?: unknown }) => void>();
  ws.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data));
    // Replies carry the request's id (workerd's may omit an empty `result`); events carry none.
    if (typeof message.id === "number") waiting.get(message.id)?.(message);
  });
  return {
    async send(method: string, params: object = {}): Promise<any> {
      const id = ++nextId;
      let replied = false;
      const reply = new Promise<{ result?: any; error?: unknown }>((resolve) => {
        waiting.set(id, (message) => {
          replied = true;
          resolve(message);
        });
        ws.send(JSON.stringify({ id, method, params }));
      });
      for (let i = 0; i < 100 && !replied; i++) {
        await poke();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      if (!replied) throw new Error(`${method}: no reply from the inspector`);
      const message = await reply;
      waiting.delete(id);
      if (message.error) throw new Error(`${method}: ${JSON.stringify(message.error)}`);
      return message.result;
    },
    close: () => ws.close(),
  };
}

/** Maps a bundle line to the source file esbuild noted above it (`// src/...`). */
function sourceFiles(bundlePath: string): (line: number) => string {
  const starts: Array<[number, string]> = [];
  readFileSync(bundlePath, "utf8")
    .split("\n")
    .forEach((text, i) => {
      // esbuild names node_modules files by their real path, e.g. `../../x/node_modules/hono/...` when node_modules is a symlink.
      const m = /^\/\/ (?:\S*\/)?(node_modules\/\S+)$/.exec(text) ?? /^\/\/ ((?:src|bench)\/\S+)$/.exec(text);
      if (m) starts.push([i + 1, m[1]!.replace(/^node_modules\/(@[^/]+\/[^/]+|[^/]+)\/.*$/, "node_modules/$1")]);
    });
  return (line) => {
    let file = "(bundle)";
    for (const [start, name] of starts) {
      if (start > line) break;
      file = name;
    }
    return file;
  };
}

function report(profile: CpuProfile, fileOf: (line: number) => string): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const perFile = new Map<string, number>();
  const perFunction = new Map<string, number>();
  for (const sample of profile.samples) {
    const { functionName, url, lineNumber } = byId.get(sample)!.callFrame;
    const file = url.endsWith("worker.js") ? fileOf(lineNumber + 1) : `native ${functionName || "(anonymous)"}`;
    perFile.set(file, (perFile.get(file) ?? 0) + 1);
    const fn = url.endsWith("worker.js") ? `${functionName || "(anonymous)"}  ${file}` : file;
    perFunction.set(fn, (perFunction.get(fn) ?? 0) + 1);
  }
  const total = profile.samples.length;
  const table = (counts: Map<string, number>) =>
    [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)
      .map(([name, n]) => `${((100 * n) / total).toFixed(1).padStart(6)}%  ${name}`)
      .join("\n");
  return `self time by source file (top ${TOP}):\n${table(perFile)}\n\nself time by function (top ${TOP}):\n${table(perFunction)}`;
}

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}
interface HeapProfile {
  head: HeapNode;
}

/**
 * Bytes allocated per request by the function that allocated them, from the
 * sampling heap profile: what the garbage collector's share of the CPU
 * profile is made of. Sampled allocations still live at the end are counted
 * as well as collected ones (V8 keeps both in the sampling profile's sizes).
 */
function allocations(heap: HeapProfile, fileOf: (line: number) => string, requests: number): string {
  const perFunction = new Map<string, number>();
  const walk = (node: HeapNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const name = url.endsWith("worker.js")
      ? `${functionName || "(anonymous)"}  ${fileOf(lineNumber + 1)}`
      : `native ${functionName || "(anonymous)"} ${url}`;
    perFunction.set(name, (perFunction.get(name) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child);
  };
  walk(heap.head);
  const total = [...perFunction.values()].reduce((a, b) => a + b, 0);
  const rows = [...perFunction]
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP)
    .map(([name, bytes]) => `${(bytes / requests).toFixed(0).padStart(8)} B  ${name}`);
  return `allocated bytes per request by function (top ${TOP}; ${(total / requests).toFixed(0)} B per request sampled in all):\n${rows.join("\n")}`;
}

async function main(): Promise<void> {
  const secrets = readDevSecrets();
  const scriptPath = await bundleBenchWorker();
  const runtime = await startRuntime(scriptPath, { inspectorPort: 0 });
  try {
    const api = new MerchantApi(runtime.baseUrl, secrets.ADMIN_TOKEN);
    const shoppers = makeShoppers(64, secrets.SHOPPER_JWT_SECRET);
    await api.createSku("profile-hot");
    await api.restock("profile-hot", 5_000_000);
    // The edge kinds' SKUs, as the bench's edge phase sets them up: one live, one sold out by a hold.
    await api.createSku("profile-sold-out");
    await api.restock("profile-sold-out", 1);
    const last = await reserveTarget(runtime.baseUrl, "profile-sold-out")(shoppers[0]!);
    if (last.status !== 201) throw new Error(`could not sell out profile-sold-out: ${last.status}`);
    const targets: Record<string, Target> = {
      reserve: reserveTarget(runtime.baseUrl, "profile-hot"),
      direct: directReserveTarget(runtime.baseUrl, "profile-hot"),
      write: oneWriteTarget(runtime.baseUrl, "hot"),
      noop: noopTarget(runtime.baseUrl, "hot"),
      read: publicReadTarget(runtime.baseUrl, "profile-hot"),
      soldout: holdAttemptTarget(runtime.baseUrl, "profile-sold-out"),
      echo: echoTarget(runtime.baseUrl),
      cache: cacheMatchTarget(runtime.baseUrl, "profile-probe"),
    };
    const target = targets[KIND];
    if (!target) throw new Error(`PROFILE_KIND must be one of ${Object.keys(targets).join(", ")}`);

    // Warm up first so the profile shows steady state, not JIT and object start-up.
    await runLoad({ shoppers, target, seconds: 2, maxRequests: 1_000_000 });

    const inspector = await runtime.mf.getInspectorURL();
    const list = (await (await fetch(new URL("/json/list", inspector.href.replace(/^ws/, "http")))).json()) as Array<{
      id: string;
      webSocketDebuggerUrl: string;
    }>;
    const worker = list.find((t) => t.id.endsWith(":holdfast-bench"));
    if (!worker) throw new Error(`no inspector target for the bench worker among ${list.map((t) => t.id).join(", ")}`);
    const poke = async () => {
      await (await fetch(`${runtime.baseUrl}/__bench/poke`)).arrayBuffer();
    };
    const cdp = await connect(worker.webSocketDebuggerUrl, poke);
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
    if (ALLOCATIONS)
      await cdp.send("HeapProfiler.startSampling", {
        samplingInterval: 4096,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
    await cdp.send("Profiler.start");
    const load = await runLoad({ shoppers, target, seconds: SECONDS, maxRequests: 10_000_000 });
    const { profile } = (await cdp.send("Profiler.stop")) as { profile: CpuProfile };
    const heap = ALLOCATIONS ? ((await cdp.send("HeapProfiler.stopSampling")) as { profile: HeapProfile }).profile : null;
    cdp.close();

    const out = path.join(OUT_DIR, `${KIND}.cpuprofile`);
    writeFileSync(out, JSON.stringify(profile));
    const rps = (load.requests * 1000) / load.elapsedMs;
    const cache = Object.keys(load.cache).length ? `, holdfast-cache ${JSON.stringify(load.cache)}` : "";
    console.log(
      `${KIND}: ${load.requests} requests, ${rps.toFixed(0)} rps, replies ${JSON.stringify(load.statuses)}${cache}; profile in ${out}\n`,
    );
    const fileOf = sourceFiles(scriptPath);
    console.log(report(profile, fileOf));
    if (heap) {
      writeFileSync(path.join(OUT_DIR, `${KIND}.heapprofile`), JSON.stringify(heap));
      console.log(`\n${allocations(heap, fileOf, load.requests)}`);
    }
  } finally {
    await runtime.mf.dispose();
  }
}

await main();
