// A SKU's holds on its page: the list by status, a void button for a live one
// (when the key may void), and each hold's history under its row.
import { enc, get, post, qs } from "./api.js";
import { field, fill, fmt, h, problemText, unavailable } from "./dom.js";
import { holdHistory } from "./hold-history.js";

const VOID_HOLD = [["POST", "/v1/skus/{sku}/holds/{holdId}/void"]];

export function holdsPanel(root, sku, features) {
  if (!features.listHolds) return fill(root, h("h2", {}, "Holds"), unavailable("Listing a SKU's holds"));
  const status = field("Status", "status", {
    tag: "select",
    options: ["", "held", "checkout", "committed", "released", "expired", "returned"],
  });
  const body = h("tbody");
  const banner = h("p.banner", { role: "alert" });
  const load = async () => {
    const r = await get(`/v1/skus/${enc(sku)}/holds${qs({ status: status.querySelector("select").value, limit: 50 })}`);
    if (!r.ok) {
      banner.textContent = problemText(r.problem);
      return;
    }
    fill(
      body,
      r.body.data.map((hd) => {
        const act =
          features.voidHold && (hd.status === "held" || hd.status === "checkout")
            ? h(
                "button.small.danger",
                {
                  type: "button",
                  onclick: async () => {
                    const v = await post(`/v1/skus/${enc(sku)}/holds/${enc(hd.holdId)}/void`, {
                      reason: "voided from the merchant console",
                    });
                    banner.textContent = v.ok ? "" : problemText(v.problem);
                    load();
                  },
                },
                "Void",
              )
            : null;
        // The hold's history, under its row: created, changed (before → after), ended.
        const history = h(
          "button.small.secondary",
          {
            type: "button",
            dataset: { action: "history" },
            onclick: (ev) => {
              const row = ev.target.closest("tr");
              if (row.nextElementSibling?.dataset.historyOf === hd.holdId) return row.nextElementSibling.remove();
              row.after(h("tr", { dataset: { historyOf: hd.holdId } }, h("td", { colspan: 7 }, holdHistory(hd.holdId))));
            },
          },
          "History",
        );
        return h(
          "tr",
          {},
          h("td.mono", {}, hd.holdId, " ", history),
          h("td", {}, hd.customerId),
          h("td.num", {}, hd.quantity),
          h("td", {}, hd.status),
          h("td", {}, fmt.time(hd.createdAt)),
          h("td", {}, fmt.time(hd.expiresAt)),
          h("td", {}, act),
        );
      }),
    );
  };
  status.querySelector("select").addEventListener("change", load);
  fill(
    root,
    h("h2", {}, "Holds"),
    features.perms.reason("void-hold", "Voiding a hold", VOID_HOLD),
    status,
    banner,
    h(
      "div.scroll",
      {},
      h(
        "table.data",
        {},
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["Hold", "Customer", "Qty", "Status", "Created", "Expires", ""].map((c) => h("th", {}, c)),
          ),
        ),
        body,
      ),
    ),
  );
  load();
}
