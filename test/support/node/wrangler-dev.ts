/**
 * `wrangler dev` for Node-side tests (a real browser cannot reach the
 * vitest-plugin's in-process workerd): on 127.0.0.1, on free ports, with a
 * fresh migrated D1 in a temp dir, the test secrets and extra vars.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { TEST_SECRETS } from "../secrets.ts";

const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");
const WRANGLER = path.join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
const READY_TIMEOUT_MS = 60_000;

export interface DevServer {
  origin: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function run(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [WRANGLER, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-8_000)));
  child.stderr!.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-8_000)));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

export async function startWranglerDev(vars: Record<string, string>): Promise<DevServer> {
  const state = mkdtempSync(path.join(tmpdir(), "holdfast-browser-"));
  // No prompts, no telemetry, no Request.cf download: the only traffic stays on 127.0.0.1.
  const env = { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };
  const migrate = run(["d1", "migrations", "apply", "DB", "--local", "--persist-to", state], env);
  if ((await migrate.exited) !== 0) throw new Error(`migrations failed:\n${migrate.output()}`);
  const [port, inspector] = [await freePort(), await freePort()];
  const allVars = { ...TEST_SECRETS, LOG_LEVEL: "warn", ...vars };
  const dev = run(
    [
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(inspector),
      "--persist-to",
      state,
      "--show-interactive-dev-session=false",
      ...Object.entries(allVars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
    ],
    env,
  );
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (dev.child.exitCode === null && dev.child.signalCode === null) {
      dev.child.kill("SIGTERM");
      const timer = setTimeout(() => dev.child.kill("SIGKILL"), 5_000);
      await dev.exited;
      clearTimeout(timer);
    }
    rmSync(state, { recursive: true, force: true });
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (dev.child.exitCode !== null) break;
    try {
      const res = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return { origin, stop };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`wrangler dev did not become healthy:\n${dev.output()}`);
}
