/**
 * The pre-event warm-up (issue 21): wakes every SKU object of a sale and its
 * waiting room, and primes the edge cache with each SKU's public view and the
 * sale's, through the API alone. The edge cache is per data centre: this
 * primes the one the requests reach.
 */
export interface WarmLine {
  what: string;
  detail: string;
}

type Fetch = (request: Request) => Promise<Response>;

/** Public reads a shopper's first page load makes, then the merchant's board, which wakes every object of the sale. */
export async function warmSale(fetcher: Fetch, origin: string, adminToken: string, saleId: string): Promise<WarmLine[]> {
  const get = (path: string, auth = false) =>
    fetcher(new Request(new URL(path, origin), { headers: auth ? { authorization: `Bearer ${adminToken}` } : {} }));
  const lines: WarmLine[] = [];
  const sale = await get(`/v1/sales/${encodeURIComponent(saleId)}`);
  if (sale.status !== 200) throw new Error(`GET /v1/sales/${saleId} answered ${sale.status}: ${await sale.text()}`);
  const view = (await sale.json()) as { items: Array<{ sku: string }>; queue: { mode: string } | null; status: string };
  lines.push({
    what: `sale ${saleId}`,
    detail: `${view.status}, ${view.items.length} items, edge ${sale.headers.get("holdfast-cache") ?? "?"}`,
  });
  for (const { sku } of view.items) {
    const r = await get(`/v1/skus/${encodeURIComponent(sku)}`);
    const body = (await r.json()) as { available?: number; status?: string };
    lines.push({
      what: `sku ${sku}`,
      detail: `${r.status} ${body.status ?? ""}, ${body.available ?? "?"} available, edge ${r.headers.get("holdfast-cache") ?? "?"}`,
    });
  }
  // The board reads every SKU object (and their shards) and the waiting room's coordinator.
  const board = await get(`/v1/sales/${encodeURIComponent(saleId)}/board`, true);
  if (board.status !== 200) throw new Error(`GET /v1/sales/${saleId}/board answered ${board.status}: ${await board.text()}`);
  const b = (await board.json()) as { queue: { waiting: number } | null };
  lines.push({
    what: "objects",
    detail: `${view.items.length} SKU objects awake${b.queue ? `, waiting room awake (${b.queue.waiting} waiting)` : ""}`,
  });
  return lines;
}
