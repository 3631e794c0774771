/**
 * The service's one logger: one JSON line per call, `{"level", "event", ...fields}`,
 * the shape operators query in Workers Logs. Lines below the threshold set by
 * LOG_LEVEL are dropped; the test suite and the bench run at `warn`. Every
 * line run under a trace carries its `traceId`.
 */

import { currentTrace } from "./trace";

export const LOG_LEVELS = ["debug", "info", "warn", "error", "critical"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The members of a line besides `level` and `event`; undefined members are left out, as JSON.stringify does. */
export type LogFields = Readonly<Record<string, unknown>>;

export type LogLine = (event: string, fields?: LogFields) => void;

export interface Log {
  /** For a line whose level is decided at run time, e.g. the request line (error for a 5xx). */
  at(level: LogLevel, event: string, fields?: LogFields): void;
  debug: LogLine;
  info: LogLine;
  warn: LogLine;
  error: LogLine;
  critical: LogLine;
}

/** What the logger reads of an environment: Env, or a part of it a consumer was handed. */
export type LogEnv = { readonly LOG_LEVEL?: string | undefined };

/** Where a line goes; tests pass their own to read what was logged. */
export type LogSink = (level: LogLevel, line: string) => void;

const RANK: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3, critical: 4 };

/** Each level through the console method Workers Logs files it under; critical has none of its own. */
const toConsole: LogSink = (level, line) => {
  if (level === "debug") console.debug(line);
  else if (level === "info") console.log(line);
  else if (level === "warn") console.warn(line);
  else console.error(line);
};

/** The threshold from LOG_LEVEL (the only reader of it): a missing or unknown value means `info`. */
export function logLevelOf(env: LogEnv | undefined): LogLevel {
  const raw = env?.LOG_LEVEL?.trim().toLowerCase();
  return LOG_LEVELS.find((level) => level === raw) ?? "info";
}

export function createLog(threshold: LogLevel, sink: LogSink = toConsole): Log {
  const at = (level: LogLevel, event: string, fields?: LogFields): void => {
    if (RANK[level] < RANK[threshold]) return;
    // The running work's trace (./trace.ts), so one purchase's lines are found by one id wherever they were written.
    sink(level, JSON.stringify({ level, event, traceId: currentTrace()?.traceId, ...fields }));
  };
  return {
    at,
    debug: (event, fields) => at("debug", event, fields),
    info: (event, fields) => at("info", event, fields),
    warn: (event, fields) => at("warn", event, fields),
    error: (event, fields) => at("error", event, fields),
    critical: (event, fields) => at("critical", event, fields),
  };
}

// One console logger per threshold: a request or an object asks for its logger without allocating one.
const CONSOLE_LOGS = new Map<LogLevel, Log>();

/** The logger for an environment's LOG_LEVEL. */
export function logger(env: LogEnv | undefined): Log {
  const threshold = logLevelOf(env);
  let log = CONSOLE_LOGS.get(threshold);
  if (!log) {
    log = createLog(threshold);
    CONSOLE_LOGS.set(threshold, log);
  }
  return log;
}
