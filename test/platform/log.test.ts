import { describe, expect, it } from "vitest";
import { createLog, LOG_LEVELS, logLevelOf, logger, type LogLevel } from "../../src/platform/log";

/** The one logger (src/platform/log.ts): levels, the LOG_LEVEL threshold, one JSON line per call. */

function captured(threshold: LogLevel) {
  const lines: Array<{ level: LogLevel; line: string }> = [];
  const log = createLog(threshold, (level, line) => lines.push({ level, line }));
  return { log, lines };
}

describe("the logger", () => {
  it("drops the lines below its threshold and keeps the rest", () => {
    for (const [i, threshold] of LOG_LEVELS.entries()) {
      const { log, lines } = captured(threshold);
      for (const level of LOG_LEVELS) log[level](`${level}_event`);
      expect(lines.map((l) => l.level)).toEqual(LOG_LEVELS.slice(i));
    }
  });

  it("writes one JSON line: level, event, then the fields, leaving undefined ones out", () => {
    const { log, lines } = captured("debug");
    log.at("error", "request", { requestId: "r-1", status: 503, sku: undefined, latency_ms: 1.5 });
    expect(lines).toEqual([
      { level: "error", line: '{"level":"error","event":"request","requestId":"r-1","status":503,"latency_ms":1.5}' },
    ]);
    log.info("maintenance");
    expect(lines[1]?.line).toBe('{"level":"info","event":"maintenance"}');
  });

  it("reads its threshold from LOG_LEVEL, info when it is missing or unknown", () => {
    expect(logLevelOf({ LOG_LEVEL: "warn" })).toBe("warn");
    expect(logLevelOf({ LOG_LEVEL: " Critical " })).toBe("critical");
    expect(logLevelOf({ LOG_LEVEL: "verbose" })).toBe("info");
    expect(logLevelOf({})).toBe("info");
    expect(logLevelOf(undefined)).toBe("info");
  });

  it("hands out one logger per threshold", () => {
    expect(logger({ LOG_LEVEL: "warn" })).toBe(logger({ LOG_LEVEL: "warn" }));
    expect(logger({})).toBe(logger({ LOG_LEVEL: "info" }));
    expect(logger({})).not.toBe(logger({ LOG_LEVEL: "warn" }));
  });
});
