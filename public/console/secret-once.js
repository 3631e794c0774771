// A secret shown once (an API key's, a webhook signing secret's) with a copy
// button; "Done" removes it from the page for good.
import { fill, h } from "./dom.js";

export function showOnce(box, text, secret) {
  const copied = h("span.hint", { "aria-live": "polite" });
  const copy = h(
    "button",
    {
      type: "button",
      dataset: { action: "copy-secret" },
      onclick: async () => {
        try {
          await navigator.clipboard.writeText(secret);
          copied.textContent = "Copied.";
        } catch {
          copied.textContent = "Copy failed: select the secret and copy it by hand.";
        }
      },
    },
    "Copy",
  );
  const done = h(
    "button.secondary",
    {
      type: "button",
      onclick: () => {
        fill(box);
        box.hidden = true;
      },
    },
    "Done",
  );
  fill(box, h("p", {}, text), h("code.mono.secret", {}, secret), copy, done, copied);
  box.hidden = false;
}
