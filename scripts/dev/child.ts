import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { constants } from "node:os";

const FORWARDED = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The first stop signal received; later steps check it so a Ctrl-C during setup stops everything. */
export const interrupted: { signal: NodeJS.Signals | null } = { signal: null };

const running = new Set<ChildProcess>();

function stop(signal: NodeJS.Signals): void {
  interrupted.signal ??= signal;
  for (const child of running) child.kill(signal);
}

/**
 * Starts a child and forwards SIGINT, SIGTERM and SIGHUP to it while it runs.
 * Holding the handlers also keeps this process alive until the child has shut
 * down cleanly (wrangler stops workerd and flushes its state), so the exit
 * status we report is the child's. A Ctrl-C in a terminal reaches the child
 * directly too; wrangler treats the repeat as the same request to stop.
 */
export function start(command: string, args: readonly string[], options: SpawnOptions): { child: ChildProcess; exited: Promise<Exit> } {
  const child = spawn(command, args, options);
  running.add(child);
  if (running.size === 1) for (const s of FORWARDED) process.on(s, stop);
  const done = () => {
    running.delete(child);
    if (running.size === 0) for (const s of FORWARDED) process.off(s, stop);
  };
  const exited = new Promise<Exit>((resolve, reject) => {
    child.once("error", (err) => {
      done();
      reject(err);
    });
    child.once("exit", (code, signal) => {
      done();
      resolve({ code, signal });
    });
  });
  return { child, exited };
}

/**
 * Stops the children when this process is orphaned. `npm run dev` runs us
 * through `sh -c`; on SIGTERM npm signals that shell, and a shell that did not
 * exec us dies without passing the signal on. Being re-parented is how we
 * learn of it, and wrangler still gets its SIGTERM and shuts down cleanly.
 */
export function stopWhenOrphaned(): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    stop("SIGTERM");
  }, 250);
  timer.unref();
}

/** The shell's convention for a process ended by a signal: 128 + its number. */
export function exitCodeOf(exit: Exit): number {
  if (exit.code !== null) return exit.code;
  return 128 + (exit.signal ? constants.signals[exit.signal] : 0);
}

/** Output kept of a quiet step: its tail is what explains a failure. */
const QUIET_OUTPUT_MAX_CHARS = 20_000;

/**
 * Runs a setup step with its output held back: a step that succeeds says one
 * line (the caller's), one that fails prints what it said. Signals are
 * forwarded as for `start`.
 */
export async function runQuiet(command: string, args: readonly string[], options: SpawnOptions): Promise<Exit & { output: string }> {
  const run = start(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-QUIET_OUTPUT_MAX_CHARS);
  };
  run.child.stdout?.on("data", keep);
  run.child.stderr?.on("data", keep);
  const exit = await run.exited;
  return { ...exit, output };
}
