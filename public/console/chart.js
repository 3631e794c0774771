// A hand-written SVG line chart: two series on their own scales (available
// units on the left axis, holds per minute on the right), over time.

const NS = "http://www.w3.org/2000/svg";
const W = 640;
const H = 220;
/** The legend sits in the top padding, above the plot. */
const PAD = { l: 44, r: 44, t: 30, b: 28 };

function s(tag, attrs = {}, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** A "nice" upper bound for an axis, so ticks read 0, 5, 10... rather than 0, 4.3, 8.6. */
function niceMax(v) {
  if (v <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * p).find((m) => m >= v) ?? 10 * p;
}

/**
 * points: [{ at (ms or ISO), available, holdsPerMinute }]. Returns an <svg>
 * with a title and a text summary for screen readers.
 */
export function levelsChart(points, { title = "Available units and holds per minute" } = {}) {
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img", "aria-label": title });
  svg.append(s("title", {}, title));
  const pts = points.map((p) => ({ t: typeof p.at === "number" ? p.at : Date.parse(p.at), a: p.available, r: p.holdsPerMinute ?? 0 }));
  if (pts.length < 2) {
    svg.append(s("text", { x: W / 2, y: H / 2, "text-anchor": "middle", class: "chart-empty" }, "Collecting data…"));
    return svg;
  }
  const t0 = pts[0].t;
  const t1 = Math.max(pts.at(-1).t, t0 + 1);
  const aMax = niceMax(Math.max(...pts.map((p) => p.a)));
  const rMax = niceMax(Math.max(...pts.map((p) => p.r)));
  const x = (t) => PAD.l + ((t - t0) / (t1 - t0)) * (W - PAD.l - PAD.r);
  const y = (v, max) => H - PAD.b - (v / max) * (H - PAD.t - PAD.b);

  // Five steps of a "nice" maximum are round numbers (0, 10, 20… or 0, 20, 40…).
  for (let i = 0; i <= 5; i++) {
    const gy = y((i / 5) * aMax, aMax);
    svg.append(s("line", { x1: PAD.l, x2: W - PAD.r, y1: gy, y2: gy, class: "grid" }));
    svg.append(s("text", { x: PAD.l - 6, y: gy + 4, "text-anchor": "end", class: "axis avail" }, Math.round((i / 5) * aMax)));
    svg.append(s("text", { x: W - PAD.r + 6, y: gy + 4, class: "axis rate" }, Math.round((i / 5) * rMax * 10) / 10));
  }
  const clock = (t) => new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  svg.append(s("text", { x: PAD.l, y: H - 8, class: "axis" }, clock(t0)));
  svg.append(s("text", { x: W - PAD.r, y: H - 8, "text-anchor": "end", class: "axis" }, clock(t1)));

  // Available is a step line: levels hold until the next change.
  const step = pts.map((p, i) => `${i ? `H${x(p.t).toFixed(1)}V` : `M${x(p.t).toFixed(1)},`}${y(p.a, aMax).toFixed(1)}`).join("");
  svg.append(s("path", { d: step, class: "line avail" }));
  const rate = pts.map((p, i) => `${i ? "L" : "M"}${x(p.t).toFixed(1)},${y(p.r, rMax).toFixed(1)}`).join("");
  svg.append(s("path", { d: rate, class: "line rate" }));

  const legend = s("g", { transform: `translate(${PAD.l},4)` });
  legend.append(
    s("rect", { x: 0, y: 0, width: 10, height: 10, class: "key avail" }),
    s("text", { x: 14, y: 9, class: "legend" }, "available (left)"),
  );
  legend.append(
    s("rect", { x: 130, y: 0, width: 10, height: 10, class: "key rate" }),
    s("text", { x: 144, y: 9, class: "legend" }, "holds / min (right)"),
  );
  svg.append(legend);
  const last = pts.at(-1);
  svg.append(
    s("desc", {}, `From ${clock(t0)} to ${clock(t1)}: available went from ${pts[0].a} to ${last.a}; holds per minute now ${last.r}.`),
  );
  return svg;
}
