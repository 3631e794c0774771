/**
 * The Prometheus text exposition format (version 0.0.4): HELP and TYPE
 * lines, then the family's samples, label values escaped as the format
 * requires. Written here rather than with prom-client, whose registry
 * depends on Node's process and timers; validated in `npm test` by a parser.
 */
export const CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export type Labels = Readonly<Record<string, string>>;

export interface Family {
  name: string;
  help: string;
  type: "counter" | "gauge" | "histogram";
  samples: Array<{ labels?: Labels; value: number; suffix?: "_bucket" | "_sum" | "_count" }>;
}

const escapeHelp = (s: string) => s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
const escapeLabel = (s: string) => s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');

function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "+Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(v);
}

export function render(families: readonly Family[]): string {
  const out: string[] = [];
  for (const f of families) {
    out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) {
      const labels = Object.entries(s.labels ?? {});
      const text = labels.length ? `{${labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",")}}` : "";
      out.push(`${f.name}${s.suffix ?? ""}${text} ${formatValue(s.value)}`);
    }
  }
  return `${out.join("\n")}\n`;
}

/** A histogram family's samples from cumulative buckets (bounds in ms, exposed in seconds). */
export function histogramSamples(
  labels: Labels,
  h: { bounds_ms: readonly number[]; cumulative: readonly number[]; sum_ms: number; count: number },
): Family["samples"] {
  return [
    ...h.bounds_ms.map((b, i) => ({
      labels: { ...labels, le: String(b / 1000) },
      value: h.cumulative[i] ?? 0,
      suffix: "_bucket" as const,
    })),
    { labels: { ...labels, le: "+Inf" }, value: h.count, suffix: "_bucket" as const },
    { labels, value: h.sum_ms / 1000, suffix: "_sum" as const },
    { labels, value: h.count, suffix: "_count" as const },
  ];
}
