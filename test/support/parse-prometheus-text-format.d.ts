/** The package ships no types: its one export parses an exposition into families (see test/support/prometheus.ts). */
declare module "parse-prometheus-text-format" {
  export default function parsePrometheusTextFormat(text: string): unknown[];
}
