// Tiny DOM helpers: the console has no framework and no build step.

import { formatMoney } from "../shared/money.js";

/** h("div.card", { onclick }, child, ...): an element; strings become text nodes, never HTML. */
export function h(tag, props = {}, ...children) {
  // Props are optional: a first argument that is content is the first child.
  if (props instanceof Node || typeof props !== "object" || Array.isArray(props)) {
    children.unshift(props);
    props = {};
  }
  const [name, ...classes] = tag.split(".");
  const el = document.createElement(name || "div");
  if (classes.length) el.className = classes.join(" ");
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (k in el && typeof v !== "string") el[k] = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces an element's content. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const fmt = {
  /** In the currency's own units (1900 jpy is ¥1,900, 19000 kwd is KWD 19.000): the formatter every page shares. */
  money: (m) => formatMoney(m),
  time: (iso) => (iso ? new Date(iso).toLocaleString() : "—"),
  /** datetime-local input value for an ISO instant, in the browser's zone, to the second (milliseconds too when it has them). */
  localInput: (iso) => {
    const d = new Date(iso);
    const local = new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString();
    return d.getMilliseconds() === 0 ? local.slice(0, 19) : local.slice(0, 23);
  },
  num: (n) => (n === null || n === undefined ? "—" : String(n)),
};

/**
 * Puts a message in a banner with its tone: "success" shows as a success,
 * anything else as the error it is; an empty text clears the banner.
 */
export function say(banner, text, tone = "error") {
  banner.textContent = text ?? "";
  banner.classList.toggle("success", Boolean(text) && tone === "success");
}

/**
 * An inline "are you sure?" beside a destructive button: the first click
 * shows the question and its confirm button, only that one acts.
 */
export function confirmInline({ label, question, confirmLabel, action, onConfirm, cls = "danger" }) {
  const ask = h(`button.${cls}`, { type: "button", dataset: { action } }, label);
  const box = h("span.confirm", { hidden: true, role: "group" });
  ask.addEventListener("click", () => {
    fill(
      box,
      h("span", {}, question, " "),
      h(
        `button.${cls}`,
        {
          type: "button",
          dataset: { action: `confirm-${action.replace(/-sale$/, "")}` },
          onclick: async (ev) => {
            ev.currentTarget.disabled = true;
            box.hidden = true;
            await onConfirm();
          },
        },
        confirmLabel,
      ),
      " ",
      h("button.secondary", { type: "button", onclick: () => (box.hidden = true) }, "Cancel"),
    );
    box.hidden = false;
  });
  return h("span.ask", {}, ask, box);
}

/** A "not available" note for a panel whose route this server does not have. */
export function unavailable(what) {
  return h("p.notice.unavailable", { role: "status" }, `${what}: not available on this server.`);
}

/** A problem document as one line, for a banner. */
export function problemText(p) {
  return p ? `${p.title ?? "Error"}${p.detail ? `: ${p.detail}` : ""}${p.code ? ` (${p.code})` : ""}` : "Network error";
}

/** A labelled input; `name` is the body path it edits, so inline errors find it. */
export function field(label, name, { tag = "input", options = [], ...attrs } = {}) {
  const input = h(tag, { name, ...attrs });
  // An empty option is "no filter".
  for (const o of options) input.append(h("option", { value: o }, o === "" ? "any" : o));
  return h("label.field", { dataset: { path: name } }, h("span", {}, label), input, h("small.error", { "aria-live": "polite" }));
}

/**
 * Shows a problem's field errors (`errors[]` with `in` and `path`) beside the
 * inputs whose data-path matches; errors with no matching input go to the form's banner.
 */
export function showErrors(form, problem, pathMap = (p) => p) {
  for (const e of form.querySelectorAll(".field")) {
    e.classList.remove("invalid");
    e.querySelector(".error").textContent = "";
  }
  const banner = form.querySelector(".form-banner");
  if (!problem) {
    if (banner) banner.textContent = "";
    return;
  }
  const unplaced = [];
  for (const err of problem.errors ?? []) {
    const path = pathMap(err.path);
    const box = [...form.querySelectorAll(".field")].find((f) => f.dataset.path === path);
    if (err.in === "json" && box) {
      box.classList.add("invalid");
      box.querySelector(".error").textContent = err.message;
    } else unplaced.push(`${err.path || err.in}: ${err.message}`);
  }
  if (banner)
    banner.textContent =
      problem.errors?.length && !unplaced.length ? "Fix the fields marked in red." : [problemText(problem), ...unplaced].join(" · ");
}

/**
 * Names each cell after its column (data-label), so that on a phone a
 * `table.stack` reads as one card per row (console.css) instead of scrolling.
 */
export function labelCells(table) {
  const names = [...table.tHead.rows[0].cells].map((c) => c.textContent);
  for (const row of table.tBodies[0].rows) {
    for (const [i, c] of [...row.cells].entries()) c.dataset.label = names[i] ?? "";
  }
}
