import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { expect } from "vitest";

/** One sample line as parse-prometheus-text-format reads it: its full name (with _bucket, _sum, _count), labels and value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedFamily {
  name: string;
  help: string;
  type: string;
  samples: Sample[];
}

interface LibraryFamily {
  name: string;
  help: string;
  type: string;
  metrics: Array<{ value?: string; labels?: Record<string, string> }>;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const TYPES = new Set(["COUNTER", "GAUGE", "HISTOGRAM", "SUMMARY"]);
const parse = (text: string) => parsePrometheusTextFormat(text) as LibraryFamily[];

/**
 * Parses an exposition with parse-prometheus-text-format (its tokenizer is a
 * port of the Prometheus Python client's parser and throws on a line it
 * cannot read), then checks what that library lets pass and `promtool check
 * metrics` would not. The library folds a labelled histogram's series into
 * one (it keeps neither labels nor sums), so each sample line is also read on
 * its own, through the same parser, to check every histogram series: buckets
 * cumulative, ending in +Inf equal to its _count, with a _sum.
 */
export function parseExposition(text: string): Map<string, ParsedFamily> {
  const byName = new Map<string, ParsedFamily>();
  for (const f of parse(text)) {
    expect(f.name, "metric name").toMatch(NAME);
    expect(TYPES.has(f.type), `${f.name} has TYPE ${f.type}`).toBe(true);
    expect(f.help.length, `${f.name} has HELP`).toBeGreaterThan(0);
    expect(byName.has(f.name), `${f.name} declared once`).toBe(false);
    byName.set(f.name, { name: f.name, help: f.help, type: f.type, samples: [] });
  }
  let current: ParsedFamily | undefined;
  for (const line of text.split("\n")) {
    const typed = /^# TYPE (\S+) /.exec(line);
    if (typed) current = byName.get(typed[1]!);
    if (line === "" || line.startsWith("#")) continue;
    const [one] = parse(`${line}\n`);
    const m = one?.metrics[0];
    expect(m, line).toBeDefined();
    expect(current && one!.name.startsWith(current.name), `${line} follows its family's TYPE`).toBe(true);
    const value = Number(m!.value);
    expect(Number.isNaN(value), `${line}: value`).toBe(false);
    for (const k of Object.keys(m!.labels ?? {})) expect(k, `${line}: label name`).toMatch(/^[a-zA-Z_][a-zA-Z0-9_]*$/);
    current!.samples.push({ name: one!.name, labels: m!.labels ?? {}, value });
  }
  for (const f of byName.values()) if (f.type === "HISTOGRAM") checkHistogram(f);
  return byName;
}

function checkHistogram(f: ParsedFamily): void {
  const series = new Map<string, Sample[]>();
  for (const s of f.samples) {
    const { le: _le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    series.set(key, [...(series.get(key) ?? []), s]);
  }
  for (const [key, samples] of series) {
    const buckets = samples
      .filter((s) => s.name === `${f.name}_bucket`)
      .map((s) => [s.labels.le === "+Inf" ? Number.POSITIVE_INFINITY : Number(s.labels.le), s.value] as const)
      .sort((a, b) => a[0] - b[0]);
    const count = samples.find((s) => s.name === `${f.name}_count`)?.value;
    expect(buckets.at(-1)?.[0], `${f.name}${key} ends in +Inf`).toBe(Number.POSITIVE_INFINITY);
    for (let i = 1; i < buckets.length; i++)
      expect(buckets[i]![1], `${f.name}${key} cumulative`).toBeGreaterThanOrEqual(buckets[i - 1]![1]);
    expect(buckets.at(-1)?.[1], `${f.name}${key}: +Inf bucket = _count`).toBe(count);
    expect(
      samples.some((s) => s.name === `${f.name}_sum`),
      `${f.name}${key} has _sum`,
    ).toBe(true);
  }
}

/** The value of the first sample of `name` (a family, or a histogram's `<family>_count`) whose labels include `labels`. */
export function sample(families: Map<string, ParsedFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  const family = families.get(name) ?? families.get(name.replace(/_(count|sum|bucket)$/, ""));
  return family?.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}
