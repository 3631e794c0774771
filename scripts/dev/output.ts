import type { Readable, Writable } from "node:stream";

/**
 * Holds `wrangler dev`'s output back until the banner is printed, then lets
 * through what a developer needs from its start-up (warnings, "Ready on") and
 * everything after it as it comes. Dropped: the bindings table (printed twice,
 * about 35 lines each; wrangler.toml says the same) and the log lines of the
 * demo seed's own requests.
 */
export class StartupOutput {
  private held: Array<{ line: string; to: Writable }> = [];
  private live = false;

  follow(from: Readable, to: Writable): void {
    let partial = "";
    from.on("data", (d: Buffer) => {
      const lines = (partial + d.toString()).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) this.line(line, to);
    });
    from.on("end", () => {
      if (partial) this.line(partial, to);
    });
  }

  private line(line: string, to: Writable): void {
    if (this.live) to.write(`${line}\n`);
    else this.held.push({ line, to });
  }

  /** Start-up is over (the banner follows): what it said that matters, then everything as it comes. */
  release(): void {
    const kept = keptStartupLines(this.held.map((h) => h.line));
    for (const h of this.held) if (kept.has(h.line)) h.to.write(`${h.line}\n`);
    this.held = [];
    this.live = true;
  }

  /** Start-up failed: all of it, unfiltered, to explain why. */
  flushAll(): void {
    for (const h of this.held) h.to.write(`${h.line}\n`);
    this.held = [];
    this.live = true;
  }
}

const BINDINGS_HEADING = "Your Worker has access to the following bindings:";
const REQUEST_LOG = /"event":"request"|^\[wrangler:info\] (GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) /;
const NOISE = /^⎔ (Connection status updated|Reloading local server)/;

/** The start-up lines worth showing: not the bindings tables, not per-request logs, not blank runs. */
export function keptStartupLines(lines: readonly string[]): Set<string> {
  const kept = new Set<string>();
  let inTable = false;
  for (const raw of lines) {
    const line = raw.trimEnd();
    if (line === BINDINGS_HEADING) {
      inTable = true;
      continue;
    }
    if (inTable) {
      if (line === "") inTable = false;
      continue;
    }
    if (line === "" || REQUEST_LOG.test(line) || NOISE.test(line)) continue;
    kept.add(raw);
  }
  return kept;
}
