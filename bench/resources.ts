import { readdirSync, readFileSync } from "node:fs";

/**
 * What a phase cost the machine: CPU of this Node process (the load
 * generator) and CPU and disk writes of the workerd process Miniflare spawned
 * (the app). On a small, shared machine the wall-clock rates swing with
 * whatever else runs; runtime CPU per request is the steadier comparison, and
 * it says where time goes. Linux /proc only; elsewhere the runtime side is null.
 */

/** Linux reports utime/stime in clock ticks: 100 per second on mainstream kernels. */
const TICKS_PER_SECOND = 100;

export interface Usage {
  clientCpuMs: number;
  runtimeUserMs: number | null;
  runtimeSysMs: number | null;
  /** Bytes workerd caused to be written to storage (SQLite pages, WAL). */
  runtimeWriteBytes: number | null;
}

/** Direct children of this process named workerd; looked up once after start. */
export function findRuntimePids(): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat && stat.ppid === process.pid && stat.comm.includes("workerd")) pids.push(Number(entry));
  }
  return pids;
}

function readStat(pid: number): { comm: string; ppid: number; userTicks: number; sysTicks: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // comm is parenthesised and may hold spaces, so fields are counted after its closing paren.
    const close = text.lastIndexOf(")");
    const fields = text.slice(close + 2).split(" ");
    // After comm: state(0) ppid(1) ... utime(11) stime(12).
    return {
      comm: text.slice(text.indexOf("(") + 1, close),
      ppid: Number(fields[1]),
      userTicks: Number(fields[11]),
      sysTicks: Number(fields[12]),
    };
  } catch {
    return null;
  }
}

function readWriteBytes(pid: number): number | null {
  try {
    const m = /^write_bytes: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, "utf8"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

export function sampleUsage(runtimePids: readonly number[]): Usage {
  const cpu = process.cpuUsage();
  const usage: Usage = { clientCpuMs: (cpu.user + cpu.system) / 1000, runtimeUserMs: null, runtimeSysMs: null, runtimeWriteBytes: null };
  for (const pid of runtimePids) {
    const stat = readStat(pid);
    if (!stat) continue;
    usage.runtimeUserMs = (usage.runtimeUserMs ?? 0) + (stat.userTicks * 1000) / TICKS_PER_SECOND;
    usage.runtimeSysMs = (usage.runtimeSysMs ?? 0) + (stat.sysTicks * 1000) / TICKS_PER_SECOND;
    const written = readWriteBytes(pid);
    if (written !== null) usage.runtimeWriteBytes = (usage.runtimeWriteBytes ?? 0) + written;
  }
  return usage;
}

function minus(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a - b;
}

export function usageBetween(before: Usage, after: Usage): Usage {
  return {
    clientCpuMs: after.clientCpuMs - before.clientCpuMs,
    runtimeUserMs: minus(after.runtimeUserMs, before.runtimeUserMs),
    runtimeSysMs: minus(after.runtimeSysMs, before.runtimeSysMs),
    runtimeWriteBytes: minus(after.runtimeWriteBytes, before.runtimeWriteBytes),
  };
}

export function addUsage(a: Usage, b: Usage): Usage {
  const plus = (x: number | null, y: number | null) => (x === null || y === null ? null : x + y);
  return {
    clientCpuMs: a.clientCpuMs + b.clientCpuMs,
    runtimeUserMs: plus(a.runtimeUserMs, b.runtimeUserMs),
    runtimeSysMs: plus(a.runtimeSysMs, b.runtimeSysMs),
    runtimeWriteBytes: plus(a.runtimeWriteBytes, b.runtimeWriteBytes),
  };
}

export const ZERO_USAGE: Usage = { clientCpuMs: 0, runtimeUserMs: 0, runtimeSysMs: 0, runtimeWriteBytes: 0 };

/** Per-request costs, for the report. */
export interface PerRequest {
  runtimeCpuUs: number | null;
  runtimeSysUs: number | null;
  clientCpuUs: number;
  writeBytes: number | null;
}

export function perRequest(usage: Usage, requests: number): PerRequest {
  const per = (v: number | null, scale: number) => (v === null || requests === 0 ? null : (v * scale) / requests);
  const cpu = usage.runtimeUserMs === null || usage.runtimeSysMs === null ? null : usage.runtimeUserMs + usage.runtimeSysMs;
  return {
    runtimeCpuUs: per(cpu, 1000),
    runtimeSysUs: per(usage.runtimeSysMs, 1000),
    clientCpuUs: per(usage.clientCpuMs, 1000) ?? 0,
    writeBytes: per(usage.runtimeWriteBytes, 1),
  };
}
