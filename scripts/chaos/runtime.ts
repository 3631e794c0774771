/**
 * The local runtime under test: `wrangler dev` (which runs workerd) on
 * 127.0.0.1, on a snapshot of the Worker, with its state persisted in a temp
 * dir so that a SIGKILL keeps what D1 and the Durable Objects had made
 * durable. Started and seeded the way `npm run dev` does (scripts/dev/).
 */
import { execFileSync } from "node:child_process";
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, symlinkSync, writeSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { Api } from "../dev/api.ts";
import { exitCodeOf, start, type Exit } from "../dev/child.ts";

/**
 * What the Worker needs to bundle, serve (public/: its static assets, without
 * which wrangler refuses to start) and migrate; copied so edits made during a
 * run change nothing.
 */
const SNAPSHOT = ["src", "public", "migrations", "wrangler.toml", "tsconfig.json", "package.json", ".dev.vars.example"];
/** Bundling and booting workerd on a busy 2-core machine. */
const READY_TIMEOUT_MS = 120_000;
const EXIT_TIMEOUT_MS = 10_000;

export interface RuntimeOptions {
  root: string;
  /** Holds app/ (the snapshot), state/ and wrangler.log. */
  dir: string;
  /** A git revision to snapshot instead of the working tree. */
  ref: string | null;
  log: (line: string) => void;
  /**
   * More vars for `wrangler dev` (`--var`), e.g. the fake Stripe's key and origin. Not
   * .dev.vars: with `[secrets] required` wrangler binds only the secrets listed there.
   */
  vars?: Record<string, string>;
}

export class Runtime {
  readonly appDir: string;
  readonly stateDir: string;
  readonly logFile: string;
  origin = "";
  /** Restarts that followed an exit we did not cause. */
  unexpectedExits = 0;
  starts = 0;
  private port = 0;
  private inspectorPort = 0;
  private server: ReturnType<typeof start> | null = null;
  private logFd: number;
  private ready: Promise<void> = Promise.resolve();
  private up = false;
  private stopping = false;
  /** Up-time before the current life, and when the current life became healthy. */
  private upBeforeMs = 0;
  private upSinceMs = 0;
  private readonly wrangler: string;
  private readonly opts: RuntimeOptions;

  constructor(opts: RuntimeOptions) {
    this.opts = opts;
    this.appDir = path.join(opts.dir, "app");
    this.stateDir = path.join(opts.dir, "state");
    this.logFile = path.join(opts.dir, "wrangler.log");
    this.wrangler = path.join(opts.root, "node_modules", "wrangler", "bin", "wrangler.js");
    mkdirSync(this.stateDir, { recursive: true });
    this.logFd = openSync(this.logFile, "a");
  }

  get isUp(): boolean {
    return this.up;
  }

  /** Snapshots the Worker, applies the D1 migrations to the fresh state, picks free ports. */
  async prepare(): Promise<void> {
    mkdirSync(this.appDir, { recursive: true });
    if (this.opts.ref) {
      // git archive of the named paths only; the revision is an argument, never shell text.
      const tar = execFileSync("git", ["-C", this.opts.root, "archive", "--format=tar", this.opts.ref, "--", ...SNAPSHOT], {
        maxBuffer: 256 * 1024 * 1024,
        stdio: ["ignore", "pipe", "pipe"],
      });
      execFileSync("tar", ["-x", "-C", this.appDir], { input: tar, stdio: ["pipe", "ignore", "pipe"] });
    } else {
      for (const entry of SNAPSHOT) cpSync(path.join(this.opts.root, entry), path.join(this.appDir, entry), { recursive: true });
    }
    // The documented local secrets, whatever the developer's own .dev.vars says.
    cpSync(path.join(this.appDir, ".dev.vars.example"), path.join(this.appDir, ".dev.vars"));
    symlinkSync(path.join(this.opts.root, "node_modules"), path.join(this.appDir, "node_modules"), "dir");
    this.port = await freePort();
    this.inspectorPort = await freePort();
    this.origin = `http://127.0.0.1:${this.port}`;
    const run = this.spawn(["d1", "migrations", "apply", "DB", "--local", "--persist-to", this.stateDir]);
    const exit = await run.exited;
    if (exit.code !== 0) throw new Error(`migrations failed (exit ${exitCodeOf(exit)}); see ${this.logFile}`);
  }

  /** Starts wrangler dev and resolves once GET /healthz answers 200. */
  async start(): Promise<void> {
    if (this.stopping) throw new Error("stopping");
    this.starts++;
    this.mark(`start #${this.starts}`);
    const server = this.spawn(
      [
        "dev",
        "--ip",
        "127.0.0.1",
        "--port",
        String(this.port),
        "--inspector-port",
        String(this.inspectorPort),
        "--persist-to",
        this.stateDir,
        "--show-interactive-dev-session=false",
        "--var",
        "LOG_LEVEL:warn",
        ...Object.entries(this.opts.vars ?? {}).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
      ],
      true,
    );
    this.server = server;
    void server.exited.then((exit) => this.onExit(server, exit));
    const alive = () => this.server === server && server.child.exitCode === null && server.child.signalCode === null;
    this.ready = new Api(this.origin).waitHealthy(alive, READY_TIMEOUT_MS);
    await this.ready;
    this.up = true;
    this.upSinceMs = Date.now();
  }

  /** Milliseconds the runtime has answered so far, over all its lives. */
  upTimeMs(): number {
    return this.upBeforeMs + (this.up ? Date.now() - this.upSinceMs : 0);
  }

  private down(): void {
    if (this.up) this.upBeforeMs += Date.now() - this.upSinceMs;
    this.up = false;
  }

  /**
   * SIGKILLs the runtime so that nothing is flushed: workerd first (it holds
   * the state), then wrangler and everything else in its process group.
   */
  async kill(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.down();
    this.server = null;
    this.mark("SIGKILL");
    killTree(server.child.pid);
    await Promise.race([server.exited, sleep(EXIT_TIMEOUT_MS)]);
  }

  /** Kill, then start again on the same state. */
  async restart(): Promise<number> {
    const t0 = Date.now();
    await this.kill();
    await this.start();
    return Date.now() - t0;
  }

  /** Waits until the runtime answers again (a restart in progress), at most `timeoutMs`. */
  async whenUp(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.up && Date.now() < deadline && !this.stopping) {
      await Promise.race([this.ready.catch(() => undefined), sleep(250)]);
      if (!this.up) await sleep(100);
    }
    return this.up;
  }

  /** Ends the runtime for good; safe to call from an exit handler (synchronous). */
  stopSync(): void {
    this.stopping = true;
    this.down();
    const server = this.server;
    this.server = null;
    if (server) killTree(server.child.pid);
    try {
      closeSync(this.logFd);
    } catch {
      // already closed
    }
  }

  private onExit(server: ReturnType<typeof start>, exit: Exit): void {
    if (this.server !== server || this.stopping) return;
    // Not ours: wrangler or workerd died by itself. Say so and bring it back.
    this.unexpectedExits++;
    this.down();
    this.server = null;
    this.opts.log(`runtime exited on its own (${exitCodeOf(exit)}); restarting`);
    killTree(server.child.pid);
    this.start().catch((err: unknown) => this.opts.log(`restart failed: ${String(err)}`));
  }

  private spawn(args: string[], detached = false): ReturnType<typeof start> {
    return start(process.execPath, [this.wrangler, ...args], {
      cwd: this.appDir,
      // Its own process group, so one signal reaches wrangler, workerd and esbuild.
      detached,
      stdio: ["ignore", this.logFd, this.logFd],
      env: {
        ...process.env,
        CI: "true",
        FORCE_COLOR: "0",
        // Keep the runtime's traffic local: no Request.cf download, no telemetry.
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        WRANGLER_SEND_METRICS: "false",
      },
    });
  }

  private mark(what: string): void {
    try {
      writeSync(this.logFd, `\n===== chaos: ${what} at ${new Date().toISOString()} =====\n`);
    } catch {
      // the log is best effort
    }
  }
}

/** SIGKILLs workerd processes under `pid`, then its process group, then any stragglers. */
function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  const tree = descendants(pid);
  for (const p of tree) if (p.comm === "workerd") signal(p.pid);
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // the group is gone already
  }
  for (const p of tree) signal(p.pid);
  signal(pid);
}

function signal(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // exited already
  }
}

/** Live descendants of `root`, from /proc (Linux); elsewhere the process-group kill does the work. */
function descendants(root: number): Array<{ pid: number; comm: string }> {
  if (!existsSync("/proc/self/stat")) return [];
  const procs: Array<{ pid: number; ppid: number; comm: string }> = [];
  for (const name of readdirSync("/proc")) {
    if (!/^[0-9]+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const fields = stat.slice(close + 2).split(" ");
      if (fields[0] === "Z") continue;
      procs.push({ pid: Number(name), ppid: Number(fields[1]), comm: stat.slice(stat.indexOf("(") + 1, close) });
    } catch {
      // exited while we looked
    }
  }
  const out: Array<{ pid: number; comm: string }> = [];
  const frontier = [root];
  while (frontier.length > 0 && out.length < 1_000) {
    const parent = frontier.pop()!;
    for (const p of procs) {
      if (p.ppid !== parent) continue;
      out.push({ pid: p.pid, comm: p.comm });
      frontier.push(p.pid);
    }
  }
  return out;
}

/** A port free on 127.0.0.1 right now (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
