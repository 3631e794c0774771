export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness and bindings check */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics of the live sale
         * @description The Prometheus text exposition format (0.0.4): per SKU of a live sale (at most 100) its levels, holds, refusals by code, invariant violations (must stay 0) and hold service time histogram, each queued live sale's waiting room, payment attempts and failures over five minutes, and the outbox and D1-view lag. See docs/operations.md.
         */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/skus/{sku}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A SKU's availability; the merchant view adds every level
         * @description Anyone gets the public view (`view: public`), served from the edge cache for up to `EDGE_CACHE_TTL_SECONDS`; with the merchant token, the merchant view (`view: merchant`), never cached; a key scoped to locations sees only theirs (`scope`).
         */
        get: operations["getSku"];
        /** Create or update a SKU */
        put: operations["putSku"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/skus/{sku}/adjustments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Adjust stock: restock (positive) or shrinkage (negative)
         * @description A key scoped to locations (spec §12) must name one of its own in `location`, else `403 forbidden`.
         */
        post: operations["adjustStock"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/skus/{sku}/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Counters a merchant watches during a sale */
        get: operations["getSkuStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/skus/{sku}/locations/{locationId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Stock a SKU at a location (no units) and set its safety stock
         * @description The location must be registered (`PUT /v1/locations/{id}`) or be `default`. The SKU's first location makes its current stock and holds location `default`'s. Takes `If-Match` (`412 version_conflict` with `currentVersion` when stale); a sharded SKU stocks locations too (docs/stock-shards.md). A key scoped to locations stocks only its own (`403 forbidden`).
         */
        put: operations["stockSkuAtLocation"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/skus/{sku}/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A WebSocket pushing the SKU's public levels on every change
         * @description Public: no credential needed (a present one must be valid). The socket first receives the SKU's current levels, then a message on every change, at most about 4 a second (changes within 250 ms fold into one message carrying the latest levels; the last state is never dropped). Every message is a `LiveLevels` JSON text. Send `ping` to get `pong` (answered without waking the object) or `refresh` to get the latest levels again; anything else closes the socket with 1003. A socket that sends nothing for 10 minutes is closed with 1001 (send `ping` to keep it), and one client address may hold at most 20 sockets per SKU (more are refused `429 rate_limited`).
         */
        get: operations["watchSkuLevels"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/skus/{sku}/holds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A SKU's holds, newest first, by status
         * @description Read from the SKU's object (and, on a sharded SKU, every shard). Ended holds stay listed until retention removes them (`RETENTION_SECONDS`); committed holds stay. A key scoped to locations lists the holds allocated at them.
         */
        get: operations["listSkuHolds"];
        put?: never;
        /** Reserve units for the calling shopper */
        post: operations["createHold"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/skus/{sku}/holds/{holdId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A hold, as of now */
        get: operations["getHold"];
        put?: never;
        post?: never;
        /** Release a hold; releasing again returns the same hold */
        delete: operations["releaseHold"];
        options?: never;
        head?: never;
        /**
         * Change a held hold's quantity in place
         * @description spec §3: a decrease gives units back at once; an increase takes only units available now and within the sale's limits (`409 insufficient_stock` with `available`, `409 limit_exceeded` with `remaining`, `429 rate_limited`; under a waiting room `403 admission_required`), else the hold is unchanged. Same id, price and expiry; `quantity: 0` releases it. A hold in a checkout is `409 hold_not_releasable`. Takes `Idempotency-Key`.
         */
        patch: operations["changeHold"];
        trace?: never;
    };
    "/v1/skus/{sku}/holds/{holdId}/void": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Void a shopper's live hold
         * @description `held -> released`, as the shopper's release, audited as `hold.released` with `by: merchant` and the `reason`. A hold in checkout or later is `409 hold_not_releasable` (cancel or refund its order); an already released or expired hold is returned as it is.
         */
        post: operations["voidHold"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/transfers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A SKU's transfers, newest first, by status
         * @description `sku` is required: a SKU's transfers live in its object, and no index across SKUs is kept.
         */
        get: operations["listTransfers"];
        put?: never;
        /**
         * Send units from one of a SKU's locations to another
         * @description Takes `quantity` units nobody holds off `from`'s hand into its `inTransit` (status `in_transit`), in one transaction of the SKU's object; they count at `to` only when received. `404` for a location the SKU does not stock, `409 insufficient_stock` (with `available`) when `from` has fewer free units. Audited as `transfer.created` in the SKU's stream, naming both locations.
         */
        post: operations["createTransfer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/transfers/{transferId}/receive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Receive a transfer's units at its destination, in full or in part
         * @description Puts `quantity` units (all still in transit when omitted) on hand at `to`. More than is in transit, or a transfer already received or cancelled, is `409 invalid_transfer_state` (with `transferStatus`): a retry with the same `Idempotency-Key` gets the first answer, a new receipt never counts twice. Audited as `transfer.received`.
         */
        post: operations["receiveTransfer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/transfers/{transferId}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a transfer: what was not received goes back to its source
         * @description The units still in transit return to `from`'s hand; received units stay at `to`. A cancelled transfer is answered as it is (nothing moves twice); a transfer received in full is `409 invalid_transfer_state`. Audited as `transfer.cancelled`.
         */
        post: operations["cancelTransfer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/transfers/{transferId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A transfer */
        get: operations["getTransfer"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sales/{saleId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A sale with live availability per item */
        get: operations["getSale"];
        /** Create or replace a sale */
        put: operations["putSale"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sales": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Sales, newest start first
         * @description Pages of sales ordered by `startsAt` descending, then `saleId` descending. Items show live availability for up to 200 distinct SKUs a page (`available: null` past that).
         */
        get: operations["listSales"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sales/{saleId}/end": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * End a sale now
         * @description Sets `endsAt` to now (and `startsAt` too if the sale had not started), so every SKU object refuses holds under it from then on (`sale_ended`). Holds already taken keep their deadlines. Ending an ended sale returns it unchanged.
         */
        post: operations["endSale"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sales/{saleId}/report": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Post-sale report, replayed from the audit log
         * @description Recomputes from the audit events (not the counters) that Σ sold <= received per SKU and that every customer stayed within the sale's per-customer limit, with the first counterexample, plus availability and holds per minute over the window. Covers events shipped from the SKU objects, seconds behind at most.
         */
        get: operations["saleReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sales/{saleId}/board": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The live sale board: this sale's holds, refusals and line
         * @description What the console's sale board shows, about this sale only: per item its availability, the sale's holds created in the last minute and since it started (and how many expired), its shoppers' refusals by code since it started, and the waiting room's line. Read from the SKU objects and the waiting room, never cached.
         */
        get: operations["saleBoard"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sales/{saleId}/queue/draw": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The lottery's commitment to its entrants, its beacon round, and the round's verified randomness */
        get: operations["getQueueDraw"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sales/{saleId}/queue/draw/entrants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One join shard's committed entrants, in the order its Merkle tree takes them */
        get: operations["listQueueDrawEntrants"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sales/{saleId}/queue/{ticket}/proof": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The ticket owner's proof that they are in the draw's commitment */
        get: operations["getQueueEntrantProof"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sales/{saleId}/queue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Join the sale's waiting room; joining again returns the same place */
        post: operations["joinQueue"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sales/{saleId}/queue/{ticket}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The ticket's status, from the edge cache */
        get: operations["getQueueStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/skus": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every SKU with its stock levels, ordered by sku
         * @description Read from D1's inventory view, which the SKU objects keep from their shipped audit events: no object is woken, and levels trail the objects by about a second. `status=in_stock` lists SKUs with available > 0, `status=sold_out` those with available = 0. A SKU appears once its creation has been shipped.
         */
        get: operations["listInventory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/locations/{locationId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One location */
        get: operations["getLocation"];
        /**
         * Create or replace a location
         * @description Registers a warehouse or store (spec §11). Every SKU stocking the location gets the new profile: up to 200 before the reply, the rest within a minute (`pendingSkus`). A paused location takes no new holds; a moved one routes `nearest` holds by its new coordinates. A PUT that changes nothing writes nothing and keeps `revision`. Each real change appends `location.created` or `location.updated` to the audit stream `location:<id>`. `ETag` is `revision`.
         */
        put: operations["putLocation"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/locations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The locations, ordered by id
         * @description A key scoped to locations (spec §12) lists only its own: its pages may hold fewer than `limit`.
         */
        get: operations["listLocations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inventory/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Available units per location and in total, per SKU, from the global view
         * @description Read from D1, folded from the SKU objects' shipped events idempotently by event sequence. Each SKU's own object is asked only for its lag. With `sku`, that SKU alone (404 if the view has never heard of it); without, every SKU, paged by sku. A key scoped to locations (spec §12) sees only its locations in `byLocation`, and `total` over them.
         */
        get: operations["getInventorySummary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inventory": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One location's levels per SKU, from the global view
         * @description Read from D1 like the summary. `location=default` also lists the SKUs that stock no location (their one implicit location). A key scoped to locations (spec §12) names one of its own, else `403 forbidden`.
         */
        get: operations["listLocationInventory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inventory/reconcile": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reconcile the global view with the SKU objects now; repairs drift from the objects
         * @description Runs what the hourly cron runs: compares D1's view with each object's own levels, repairs every drifted row from the object, records each drift in the audit log (stream `inventory:reconciliation`) and notifies `inventory.drift`. With `sku`, that SKU's objects; without, the next objects after where the last run stopped (`next`), bounded per run. Safe to repeat: a repaired view has no drift left.
         */
        post: operations["reconcileInventory"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Audit events: one stream in seq order, or every stream in time order */
        get: operations["listAuditEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Recompute every hash chain and report the first bad event
         * @description Walks the audit log in (stream, seq) order and recomputes each event's hash, checks each chain against the heads anchored outside D1, then (for the whole log, not one `stream`) compares D1 with the write-once archive. A changed, removed or reordered event is reported as `firstBadEvent`. One request checks a bounded number of events; when it stops early, `complete` is false and `nextCursor` continues from there.
         */
        get: operations["verifyAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The Ed25519 public key that signs audit checkpoints */
        get: operations["getAuditKey"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/checkpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Signed checkpoints, newest first */
        get: operations["listAuditCheckpoints"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One stream up to its head in the latest checkpoint, with that checkpoint and the head's inclusion proof
         * @description What `npm run audit:verify -- <file>` checks with nothing but the public key: the chain of every event up to the head, and the head's inclusion in the signed checkpoint. At most 50000 events.
         */
        get: operations["exportAuditStream"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/checkout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Turn holds (or items) into an order awaiting payment; all or nothing across SKUs */
        post: operations["checkout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orders/{orderId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An order
         * @description A key scoped to locations (spec §12) reads an order with units allocated at one of its locations, else `403 forbidden`.
         */
        get: operations["getOrder"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orders/{orderId}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel: the owner before payment, the merchant before fulfilment (refunding and restocking) */
        post: operations["cancelOrder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orders/{orderId}/pay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pay a declined order again, with another payment method, while its holds live
         * @description `payment_failed -> pending_payment` as the next payment attempt (`payment.attempt`), charged from the payments queue like a checkout. Only the order's owner may pay. After the order's deadline it is `410 hold_expired`: check out again.
         */
        post: operations["payOrder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orders/{orderId}/fulfill": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark a paid order fulfilled
         * @description The body may name the location it ships from (spec §11): it must be where the order's units were allocated (`default` for a SKU without locations), else `409 invalid_order_state` with `allocatedLocations`. An order allocated across several locations is fulfilled without naming one. A key scoped to locations (spec §12) fulfils only an order whose units were all allocated at its locations, else `403 forbidden`.
         */
        post: operations["fulfillOrder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orders/{orderId}/refund": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Refund a paid or fulfilled order, optionally putting its units back on hand */
        post: operations["refundOrder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Orders, newest first, filtered by status and SKU
         * @description A key scoped to locations (spec §12) lists the orders with units allocated at one of its locations.
         */
        get: operations["listOrders"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/payments/reconciliation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The last payments reconciliation's report */
        get: operations["getPaymentReconciliation"];
        put?: never;
        /**
         * Reconcile payments now: the provider's intents against the orders; refunds late payments, flags missing refunds
         * @description Runs the reconciliation the hourly cron runs and answers its report, also appended to the audit log (stream `payments:reconciliation`). Safe to repeat: a payment refunded once is never refunded again.
         */
        post: operations["reconcilePayments"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/holds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's live holds across SKUs
         * @description Holds in `held` or `checkout` whose `expiresAt` is still ahead, soonest to expire first, so a cart survives a page reload. Built from the events the SKU objects ship to D1: it trails the objects by about a second (a hold just taken may be missing, a hold just released may still show). `GET /v1/skus/{sku}/holds/{holdId}` is exact.
         */
        get: operations["listMyHolds"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's orders, newest first */
        get: operations["listMyOrders"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/stripe": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stripe events, verified by their signature */
        post: operations["receiveStripeEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/access": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The calling merchant key: its id, role and locations
         * @description What the key may call is each operation's `security` in this document: one requirement per role it admits.
         */
        get: operations["getAccess"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The API keys, newest first, without their secrets (revoked ones say when) */
        get: operations["listApiKeys"];
        put?: never;
        /**
         * Create an API key; its secret is in this reply only
         * @description No `Idempotency-Key`: a stored reply would keep the secret, which is kept only as a hash. A retry after a lost reply creates a second key; revoke the first (it is listed by name).
         */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{keyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an API key: refused everywhere within five seconds
         * @description Revoking a revoked key answers it unchanged (its first revocation time stays).
         */
        delete: operations["revokeApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook-secrets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signing secrets, active and retired, without the secrets themselves */
        get: operations["listWebhookSecrets"];
        put?: never;
        /**
         * Add a signing secret: from now on every delivery is signed with it too
         * @description Rotation: add a secret, configure the receiver with it, then retire the old one; in between each delivery carries a signature per active secret, so the receiver verifies with either. No `Idempotency-Key`: a stored reply would keep the secret.
         */
        post: operations["addWebhookSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook-secrets/{secretId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Retire a signing secret; the last active one cannot be */
        delete: operations["retireWebhookSecret"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Health: {
            ok: boolean;
            bindings: {
                /** @enum {string} */
                DB: "ok" | "error";
                /** @enum {string} */
                SKU: "ok" | "error";
            };
            time: string;
        };
        Problem: {
            /** @description `https://holdfast.dev/problems/<code>`. */
            type: string;
            title: string;
            status: number;
            /** @enum {string} */
            code: "invalid_request" | "invalid_amount" | "unauthorized" | "forbidden" | "admission_required" | "not_found" | "method_not_allowed" | "insufficient_stock" | "sold_out" | "limit_exceeded" | "sale_not_started" | "sale_ended" | "not_on_sale" | "hold_not_releasable" | "sale_overlap" | "signing_secret_conflict" | "total_changed" | "invalid_order_state" | "invalid_transfer_state" | "location_required" | "locations_with_shards" | "hold_expired" | "version_conflict" | "payload_too_large" | "unsupported_media_type" | "upgrade_required" | "idempotency_key_reused" | "rate_limited" | "internal" | "unavailable";
            detail: string;
            /** @description `invalid_request`, `invalid_amount`: every offending field. */
            errors?: components["schemas"]["FieldError"][];
            /** @description `invalid_amount`: the currency's decimals (ISO 4217 exponent) the amount is counted in. */
            minorUnits?: number;
            /** @description `total_changed`: the order's total, in the minor unit of `currency`. */
            total?: number;
            /** @description `total_changed`: the order's currency. */
            currency?: string;
            /** @description `insufficient_stock`, `sold_out`: units available now. */
            available?: number;
            /** @description `limit_exceeded`: units the customer may still take. */
            remaining?: number;
            /** @description `limit_exceeded`: the sale's per-customer limit. */
            perCustomerLimit?: number;
            /** @description `limit_exceeded`: the sale's per-hold maximum. */
            maxPerOrder?: number;
            /**
             * @description `invalid_order_state`, `hold_expired`: the order's status.
             * @enum {string}
             */
            orderStatus?: "pending_payment" | "paid" | "fulfilled" | "payment_failed" | "expired" | "cancelled" | "refunded";
            /**
             * @description `hold_expired`, `hold_not_releasable`: the hold's status.
             * @enum {string}
             */
            holdStatus?: "held" | "checkout" | "committed" | "released" | "expired" | "returned";
            /** @description `rate_limited`, `unavailable`: as `Retry-After`. */
            retryAfterSeconds?: number;
            /** @description Checkout: the SKU that refused. */
            sku?: string;
            saleId?: string;
            /** @description `sale_overlap`: each other sale whose window overlaps this one's on a SKU both list. */
            conflicts?: {
                saleId: string;
                sku: string;
            }[];
            startsAt?: string;
            endsAt?: string;
            /** @description `version_conflict`: the SKU's version now. */
            currentVersion?: number;
            /** @description `insufficient_stock` on a SKU with locations: what each location that could serve the hold has. */
            locations?: {
                location: string;
                available: number;
            }[];
        } & {
            [key: string]: unknown;
        };
        FieldError: {
            /**
             * @description Where the field is: `json` (the body), `query`, `param`, `header`…
             * @enum {string}
             */
            in: "json" | "form" | "query" | "param" | "header" | "cookie";
            /** @description Dotted path of the field inside it; empty for the whole. */
            path: string;
            message: string;
        };
        MerchantSku: {
            sku: string;
            name: string;
            price: components["schemas"]["Money"];
            available: number;
            /** @enum {string} */
            status: "upcoming" | "live" | "sold_out" | "ended" | "off_sale";
            /** @description What a hold taken now costs per unit: the live sale's price, else the list price when the SKU is `alwaysOn`; null while no hold may be taken. `price` stays the list price. */
            currentPrice: components["schemas"]["Money"] | null;
            /** @description The live sale, else the next to start, else the last that ended (`state` says which). */
            sale: {
                saleId: string;
                /**
                 * @description Where the sale's window stands now: only a `live` sale prices a hold; an upcoming or ended one's `price` is not what a hold costs.
                 * @enum {string}
                 */
                state: "upcoming" | "live" | "ended";
                name: string;
                startsAt: string;
                endsAt: string;
                price: components["schemas"]["Money"];
                perCustomerLimit: number;
                maxPerOrder: number | null;
            } | null;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            view: "merchant";
            alwaysOn: boolean;
            onHand: number;
            reserved: number;
            sold: number;
            received?: number;
            returned?: number;
            shards: number;
            liveHolds?: number;
            /** @description Spec §12: the calling key's locations. Present only for a scoped key, whose view has only these `locations` and levels summed over them (`received`, `returned` and `liveHolds` omitted). */
            scope?: string[];
            updatedAt: string;
            /** @description +1 per merchant write that changes the SKU (spec §11); also the `ETag`. */
            version: number;
            /** @enum {string} */
            routing: "nearest" | "priority" | "most_stock";
            split: boolean;
            /** @description Each location's levels, on a SKU that stocks locations. */
            locations?: {
                location: string;
                onHand: number;
                reserved: number;
                available: number;
                sold: number;
                inTransit: number;
                safetyStock: number;
            }[];
        };
        Money: {
            /** @description In the currency's minor unit (ISO 4217: 1900 jpy is ¥1,900, 1900 usd is $19.00, 19000 kwd is KWD 19.000). A price must be one the payment provider charges (1 to 99999999, three-decimal currencies ending in 0), else `400 invalid_amount`. */
            amount: number;
            /**
             * @description An active ISO 4217 code, any case; answered in lower case.
             * @example usd
             */
            currency: string;
        };
        SkuInput: {
            name: string;
            price: components["schemas"]["Money"];
            /** @description Sell at list price when no sale is live. Absent: `false`. */
            alwaysOn?: boolean;
            /** @description Stock shards (spec §8): split a hot SKU's stock across this many objects, each granting holds from its own allotment. 1 (the default for a new SKU) is an unsharded SKU; omitted on an update, the count stays. May change during a live sale. */
            shards?: number;
            /**
             * @description Spec §11: how a hold on a SKU with locations picks one. Absent: unchanged (`nearest` for a new SKU).
             * @enum {string}
             */
            routing?: "nearest" | "priority" | "most_stock";
            /** @description Spec §11: may one hold take units from several locations. Absent: unchanged (`false` for a new SKU). */
            split?: boolean;
        };
        Levels: {
            onHand: number;
            reserved: number;
            available: number;
            sold: number;
            received: number;
            /** @description Units that came back from refunded orders; they left `sold`. */
            returned: number;
            /** @description On a SKU that stocks locations: the levels of the locations the change touched (spec §11). */
            locations?: {
                location: string;
                onHand: number;
                reserved: number;
                available: number;
                sold: number;
                inTransit: number;
                safetyStock: number;
            }[];
            /** @description On a SKU that stocks locations: its version after the change. */
            version?: number;
        };
        AdjustmentInput: {
            /** @description Units added (positive) or removed (negative). */
            delta: number;
            /** @enum {string} */
            reason: "received" | "restock" | "correction" | "shrinkage" | "damaged" | "other";
            reference?: string;
            /** @description Spec §11: the location the units arrive at or leave (registered with PUT /v1/locations/{id}, or `default`). May be omitted while the SKU has at most one; naming a first location makes the SKU's stock location `default`'s. */
            location?: string;
        };
        SkuView: components["schemas"]["Sku"] | components["schemas"]["MerchantSku"];
        Sku: {
            sku: string;
            name: string;
            price: components["schemas"]["Money"];
            available: number;
            /** @enum {string} */
            status: "upcoming" | "live" | "sold_out" | "ended" | "off_sale";
            /** @description What a hold taken now costs per unit: the live sale's price, else the list price when the SKU is `alwaysOn`; null while no hold may be taken. `price` stays the list price. */
            currentPrice: components["schemas"]["Money"] | null;
            /** @description The live sale, else the next to start, else the last that ended (`state` says which). */
            sale: {
                saleId: string;
                /**
                 * @description Where the sale's window stands now: only a `live` sale prices a hold; an upcoming or ended one's `price` is not what a hold costs.
                 * @enum {string}
                 */
                state: "upcoming" | "live" | "ended";
                name: string;
                startsAt: string;
                endsAt: string;
                price: components["schemas"]["Money"];
                perCustomerLimit: number;
                maxPerOrder: number | null;
            } | null;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            view: "public";
        };
        SkuStats: {
            sku: string;
            levels: components["schemas"]["Levels"];
            holds: {
                created: number;
                released: number;
                expired: number;
                committed: number;
                live: number;
            };
            refusals: {
                [key: string]: number;
            };
            /** @description Must be 0. */
            invariantViolations: number;
            ratios: {
                /** @description Stock locked by live holds. */
                reservedOfOnHand: number | null;
                /** @description Abandonment: holds that lapsed. */
                expiredOfCreated: number | null;
            };
            instance: {
                startedAt: string;
                calls: number;
            };
            /** @description Stock shards (spec §8) and the audit of the whole SKU. */
            escrow: {
                shards: number;
                /** @description Units in a transfer between the pool and a shard, not yet credited. */
                inFlight: number;
                /** @description Refills the shards asked of the pool since their instances started. */
                poolCalls: number;
                /** @description The invariants of spec §2 and 8 recomputed across the pool and every shard; `ok` must be true. */
                audit: {
                    ok: boolean;
                    problems: string[];
                };
            };
        };
        SkuLocationInput: {
            /** @description Units of this location never offered to a hold. Absent: unchanged (0 for a newly stocked location). */
            safetyStock?: number;
        };
        LiveLevels: {
            /** @enum {string} */
            type: "levels";
            sku: string;
            /** @description Units a new hold may take now (the whole SKU, every shard included). */
            available: number;
            /**
             * @description As `GET /v1/skus/{sku}` has it.
             * @enum {string}
             */
            status: "upcoming" | "live" | "sold_out" | "ended" | "off_sale";
            /** @description What a hold taken now costs per unit (`currentPrice` of `GET /v1/skus/{sku}`); null while no hold may be taken. */
            price: {
                amount: number;
                currency: string;
            } | null;
            /** @description The SKU's list price (`price` of `GET /v1/skus/{sku}`). */
            listPrice: {
                amount: number;
                currency: string;
            };
            /** @description When the object read these levels (ISO 8601). */
            at: string;
        };
        Hold: {
            holdId: string;
            sku: string;
            customerId: string;
            quantity: number;
            /** @enum {string} */
            status: "held" | "checkout" | "committed" | "released" | "expired" | "returned";
            unitPrice: components["schemas"]["Money"];
            saleId: string | null;
            createdAt: string;
            expiresAt: string;
            orderId?: string;
            /** @description Where the units come from, on a SKU that stocks locations only (spec §11); the order, fulfilment and a return follow it. */
            allocations?: {
                location: string;
                quantity: number;
            }[];
        };
        HoldInput: {
            quantity: number;
            /** @description Spec §11: where the units ship, for a SKU with locations (else the request's own geography at the edge). */
            shipTo?: {
                /** @example US */
                country: string;
                latitude?: number;
                longitude?: number;
            };
            /** @description Spec §11: the location the shopper collects from (a pickup point). */
            pickupAt?: string;
        };
        HoldChangeInput: {
            /** @description The quantity the hold should have; 0 releases it. */
            quantity: number;
        };
        MerchantHold: components["schemas"]["Hold"] & {
            /** @description When the hold left `held`/`checkout`; absent while it is live. */
            endedAt?: string;
        };
        VoidHoldInput: {
            /** @description Why, for the audit log. */
            reason: string;
        };
        LocationTransfer: {
            transferId: string;
            sku: string;
            from: string;
            to: string;
            /** @description Units sent. */
            quantity: number;
            /** @description Units received at `to` so far. */
            received: number;
            /** @description Units a cancel returned to `from`. */
            cancelled: number;
            /** @description `quantity - received - cancelled`. */
            inTransit: number;
            /** @enum {string} */
            status: "in_transit" | "received" | "cancelled";
            reference: string | null;
            /** @description The SKU's `version` after this step (a read: the SKU's version now). */
            version: number;
            createdAt: string;
            updatedAt: string;
        };
        LocationTransferInput: {
            /** @example tee-black-m */
            sku: string;
            /** @description Where the units leave from: off its hand into its `inTransit`. */
            from: string;
            /** @description Where they are received. */
            to: string;
            quantity: number;
            /** @description The merchant's own reference (a shipment, a PO). */
            reference?: string;
        };
        LocationTransferReceipt: {
            /** @description Units that arrived; omitted: all still in transit. */
            quantity?: number;
        };
        Sale: {
            saleId: string;
            name: string;
            startsAt: string;
            endsAt: string;
            /** @enum {string} */
            status: "upcoming" | "live" | "ended";
            revision: number;
            items: {
                sku: string;
                price: components["schemas"]["Money"];
                perCustomerLimit: number;
                maxPerOrder: number | null;
                holdSeconds: number | null;
                holdsPerMinute: number | null;
                paymentSeconds: number | null;
                priority: number | null;
                available: number | null;
                /** @enum {string|null} */
                status: "upcoming" | "live" | "sold_out" | "ended" | "off_sale" | null;
            }[];
            createdAt: string;
            updatedAt: string;
            queue: components["schemas"]["SaleQueue"];
        };
        SaleQueue: {
            /** @enum {string} */
            mode: "fifo" | "lottery";
            prequeueSeconds: number;
            admitSeconds: number;
        } | null;
        SaleInput: {
            name: string;
            /**
             * Format: date-time
             * @example 2026-11-27T17:00:00Z
             */
            startsAt: string;
            /**
             * Format: date-time
             * @example 2026-11-27T17:00:00Z
             */
            endsAt: string;
            items: {
                /** @example tee-black-m */
                sku: string;
                price: components["schemas"]["Money"];
                perCustomerLimit: number;
                maxPerOrder?: number;
                /** @description Hold lifetime; default 600. */
                holdSeconds?: number;
                /** @description Payment window; default 900. */
                paymentSeconds?: number;
                /** @description Holds one customer may take per rolling minute: stricter than the edge's rate limits. */
                holdsPerMinute?: number;
                /** @description Lets this SKU be in another sale at an overlapping time (both items need one, else `409 sale_overlap`). While both are live the higher priority prices the SKU; on a tie the later start, then the greater sale id. */
                priority?: number;
            }[];
            queue?: components["schemas"]["QueueSettings"];
        };
        /** @description A waiting room in front of the sale (see the queue routes); absent: none. */
        QueueSettings: {
            /**
             * @description `fifo`: arrival order. `lottery`: the pre-queue is ordered by a published draw.
             * @enum {string}
             */
            mode: "fifo" | "lottery";
            /** @description Shoppers may join this long before `startsAt`; default 600. */
            prequeueSeconds?: number;
            /** @description How long an admission stays valid; unused, it lapses and the next waiter is admitted. Default 300. */
            admitSeconds?: number;
        };
        SaleReport: {
            saleId: string;
            generatedAt: string;
            /** @description Every SKU `ok`, every customer within the limit, the audit chains intact and the replay complete. */
            ok: boolean;
            /** @description False when the sale's SKUs have more events than one report replays (200,000). */
            complete: boolean;
            skus: {
                sku: string;
                /** @description Σ adjustments over the SKU's whole audit stream. */
                received: number;
                /** @description Units committed minus units returned, over the SKU's whole stream. */
                sold: number;
                returned: number;
                /** @description Of `sold`, the units held under this sale. */
                soldInSale: number;
                /** @description 0 <= sold <= received, and every event was readable. */
                ok: boolean;
            }[];
            customers: {
                /** @description Customers who held units of a SKU under this sale (counted per SKU). */
                checked: number;
                withinLimit: boolean;
                /** @description The first time a customer's held plus bought units of a SKU went over the limit. */
                firstViolation: {
                    customerId: string;
                    sku: string;
                    units: number;
                    limit: number;
                } | null;
            };
            series: {
                sku: string;
                /** @description One point a minute over the sale's window (up to now while it is live); wider buckets past 1,440 points. `available` as of the bucket's end. */
                points: {
                    at: string;
                    available: number;
                    holdsPerMinute: number;
                }[];
            }[];
            /** @description The hash chains of the SKUs' streams, verified as `GET /v1/audit/verify?stream=` does. */
            audit: {
                ok: boolean;
                streams: number;
                events: number;
                firstBadEvent?: {
                    stream: string;
                    seq: number;
                    reason: string;
                };
                /** @description The latest signed checkpoint (null before the first): check the report against it later with its streams' exports or the write-once archive and the public key alone (`npm run audit:verify`). */
                checkpoint: {
                    body: components["schemas"]["AuditCheckpointBody"];
                    /** @description Ed25519 over the UTF-8 of the body's canonical JSON (keys sorted), base64url. */
                    signature: string;
                    /** @description Every event this report replayed is under the heads below. */
                    covers: boolean;
                    /** @description The heads of the report's streams in this checkpoint. */
                    heads: {
                        stream: string;
                        seq: number;
                        hash: string;
                    }[];
                } | null;
            };
            /** @description Each merchant action on the sale, in time order, with the key that did it (spec §12): `sale.created`, `sale.changed`, `sale.ended`; `stock.adjusted` of its SKUs between its creation and its end (`units`, `reason`); and `order.refund_requested`, `order.cancelled`, `order.fulfilled` of the orders its holds went into (`orderId`). Shoppers' and the system's events name no key and are left out. At most 1,000. */
            actions: {
                at: string;
                /** @enum {string} */
                action: "sale.created" | "sale.changed" | "sale.ended" | "stock.adjusted" | "order.refund_requested" | "order.cancelled" | "order.fulfilled";
                actor: {
                    keyId: string;
                    /** @enum {string} */
                    role: "owner" | "manager" | "fulfillment" | "viewer";
                };
                sku?: string;
                orderId?: string;
                units?: number;
                reason?: string;
            }[];
            /** @description Each key in `actions`, in the order it first acted, with its count. */
            actors: {
                keyId: string;
                /** @enum {string} */
                role: "owner" | "manager" | "fulfillment" | "viewer";
                actions: number;
            }[];
            /** @description False when the sale had more actions (or orders) than one report lists. */
            actionsComplete: boolean;
        };
        AuditCheckpointBody: {
            /** @example holdfast-audit/v1 */
            log: string;
            seq: number;
            atMs: number;
            streams: number;
            events: number;
            /** @description RFC 9162 Merkle root (hex) over every stream's head, one leaf per stream in name order. */
            root: string;
            keyId: string;
        };
        SaleBoard: {
            sale: components["schemas"]["Sale"];
            /** @description When the figures were read, by the server's clock. */
            at: string;
            /** @description The window of `holdsRecent`: 60. */
            recentSeconds: number;
            items: {
                sku: string;
                available: number | null;
                status: string | null;
                /** @description Holds of this sale created in the last `recentSeconds`. */
                holdsRecent: number;
                /** @description Holds of this sale created since it started. */
                holdsCreated: number;
                /** @description Of `holdsCreated`, those that expired. */
                holdsExpired: number;
                /** @description Hold requests the SKU refused while this sale was its live (or last ended) sale, by problem code. Refusals the edge answered from its cache (sold out, not on sale) and the merchant's own refused changes are not counted. */
                refusals: {
                    [key: string]: number;
                };
            }[];
            /** @description The waiting room's line; null for a sale without one. */
            queue: {
                mode: string;
                waiting: number;
                admitted: number;
                closed: string | null;
            } | null;
        };
        QueueDraw: {
            /** @enum {string} */
            mode: "fifo" | "lottery";
            algorithm: string;
            /** @description The draw's number: a new `startsAt` starts a new draw. */
            epoch?: number;
            /** @description Joins before this take part in the draw; later ones queue behind it by arrival. */
            closesAt?: string;
            /** @description Published at the close, before the beacon round exists. */
            commitment?: {
                /** @description Merkle root over the join shards' roots, in shard order. */
                root: string;
                entrants: number;
                committedAt: string;
                shards: {
                    root: string;
                    entrants: number;
                }[];
            };
            beacon?: {
                url: string;
                chainHash: string;
                publicKey: string;
                scheme: string;
                genesisTime: number;
                periodSeconds: number;
                round: number;
                /** @description When the round is emitted: after `committedAt`. */
                roundAt: string;
            };
            reveal?: {
                randomness: string;
                signature: string;
                /** @description Every entrant's place is written; admissions may follow the draw. */
                drawn: boolean;
            };
        };
        QueueDrawEntrants: {
            shard: number;
            /** @description The committed entrants, in leaf order. */
            entrants: {
                /** @description sha256_hex('holdfast-entrant:' + saleId + ':' + customerId) */
                entrantId: string;
                /** @description The item whose line the entrant entered; committed with them in their leaf. */
                sku: string;
            }[];
            nextCursor: string | null;
        };
        QueueEntrantProof: {
            entrantId: string;
            /** @description The item committed with the entrant. */
            sku: string;
            shard: number;
            index: number;
            shardRoot: string;
            /** @description From sha256(0x00 || entrantId || sku) to `shardRoot`. */
            shardPath: {
                /** @enum {string} */
                side: "left" | "right";
                hash: string;
            }[];
            /** @description From `shardRoot` to `root`. */
            rootPath: {
                /** @enum {string} */
                side: "left" | "right";
                hash: string;
            }[];
            root: string;
            epoch: number;
        };
        QueueStatus: {
            /** @description Signed; carries the place the shopper's join shard recorded. Poll with it. Absent when joining a closed queue: no place is issued (join again after a restock). */
            ticket?: string;
            /** @description The item whose line the shopper is in. */
            sku?: string;
            /** @enum {string} */
            status: "waiting" | "admitted" | "sold_out" | "closed";
            /** @description Nothing is available now, but held units may still come back. */
            allHeld: boolean;
            /**
             * @description Why the queue is `closed` for this shopper.
             * @enum {string|null}
             */
            reason: "admission_expired" | "sale_ended" | null;
            /** @description Shoppers not yet admitted, as of the last move of the frontier. */
            waiting: number;
            /** @description While `waiting` after the sale started: the shopper's place among those not yet admitted (1: next), as of the last move of the frontier. Estimated from a sample of the line, within a few percent of `waiting`. */
            position?: number;
            admission?: {
                /** @description Send as `Holdfast-Admission` on holds. */
                token: string;
                expiresAt: string;
            };
            /** @description When to poll again. */
            retryAfterSeconds: number;
        };
        QueueJoinInput: {
            /** @description Required when the service runs with Turnstile (`TURNSTILE_SECRET_KEY`). */
            turnstileToken?: string;
            /** @description The item of the sale to queue for: each item has its own line, admitted as its own stock allows, and the admission is good for that item. Required when the sale has several items; a shopper holds one place per sale (joining again keeps the first). */
            sku?: string;
        };
        InventoryItem: {
            sku: string;
            name: string;
            /**
             * @description `in_stock`: available > 0; `sold_out`: available = 0 (every unit sold or held).
             * @enum {string}
             */
            status: "in_stock" | "sold_out";
            onHand: number;
            reserved: number;
            available: number;
            sold: number;
            received: number;
            returned: number;
            /** @description Seq in the SKU's audit stream (`sku:<sku>`) these levels follow. */
            lastSeq: number;
            /** @description When the SKU was last at these levels. */
            asOf: string;
        };
        Location: {
            locationId: string;
            name: string;
            country: string;
            latitude: number | null;
            longitude: number | null;
            fulfillsOnline: boolean;
            pickup: boolean;
            priority: number;
            /** @enum {string} */
            status: "active" | "paused";
            /** @description +1 per change; a PUT that changes nothing keeps it. */
            revision: number;
            createdAt: string;
            updatedAt: string;
            /** @description SKUs that stock this location. */
            skus: number;
            /** @description Of those, SKUs whose copy of this location is not yet known to be at `revision`; pushed within a minute. */
            pendingSkus: number;
        };
        LocationInput: {
            name: string;
            /**
             * @description ISO 3166-1 alpha-2, any case; answered in upper case.
             * @example DE
             */
            country: string;
            latitude?: number | null;
            longitude?: number | null;
            /**
             * @description Serves shipped holds; default true.
             * @default true
             */
            fulfillsOnline: boolean;
            /**
             * @description Serves `pickupAt` holds; default false.
             * @default false
             */
            pickup: boolean;
            /**
             * @description Higher first under `priority` routing, and the tie-break of the others; default 0.
             * @default 0
             */
            priority: number;
            /**
             * @description `paused`: takes no new holds; its holds live on.
             * @default active
             * @enum {string}
             */
            status: "active" | "paused";
        };
        InventorySummary: {
            sku: string;
            /** @description Available units per location (net of reserved and safety stock); an unlocated SKU shows one location, `default`. */
            byLocation: {
                [key: string]: number;
            };
            /** @description The sum of `byLocation`. */
            total: number;
            /** @description The SKU's version as of the newest change folded that touched a location; null on an unlocated SKU, whose events carry none. */
            version: number | null;
            /** @description When the SKU's object was at these levels: the time of the newest event folded in, or of a repair. */
            asOf: string;
            /** @description How long D1 has been missing a change the SKU's object made: now minus the time of the object's oldest event not yet shipped, 0 when every event is in D1. Asked of the object; null when it did not answer in time. */
            lagMs: number | null;
        };
        InventoryLocationItem: {
            sku: string;
            location: string;
            onHand: number;
            reserved: number;
            available: number;
            sold: number;
            inTransit: number;
            safetyStock: number;
            /** @description The SKU's version as of the newest change folded that touched a location; null on an unlocated SKU, whose events carry none. */
            version: number | null;
            /** @description When the SKU's object was at these levels: the time of the newest event folded in, or of a repair. */
            asOf: string;
            /** @description How long D1 has been missing a change the SKU's object made: now minus the time of the object's oldest event not yet shipped, 0 when every event is in D1. Asked of the object; null when it did not answer in time. */
            lagMs: number | null;
        };
        InventoryReconciliation: {
            reconciliationId: string;
            /** @enum {string} */
            trigger: "scheduled" | "owner";
            checked: number;
            drifted: number;
            repaired: number;
            unreachable: number;
            lagging: number;
            next: string | null;
            drifts: {
                object: string;
                location: string | null;
                /** @enum {string} */
                kind: "changed" | "missing" | "extra" | "version";
                d1: {
                    [key: string]: number | null;
                } | null;
                truth: {
                    [key: string]: number | null;
                } | null;
                behind: number;
            }[];
        };
        AuditEvent: {
            stream: string;
            seq: number;
            type: string;
            at: string;
            /** @description The event's facts, by type: e.g. `hold` and `levels` for `hold.*`, `from` and `to` for order moves. A string only if the stored row was edited into something that is not a JSON object (verify reports it). */
            data: {
                [key: string]: unknown;
            } | string;
            prevHash: string;
            hash: string;
        };
        AuditVerification: {
            /** @description Every event was checked and every chain is intact. */
            ok: boolean;
            streams: number;
            events: number;
            /** @description False when the request's budget ran out first; continue with `nextCursor`. */
            complete: boolean;
            firstBadEvent?: components["schemas"]["AuditBadEvent"];
            /** @description The whole log only: archived checkpoints and events this request compared with D1. An archived event D1 lost or holds otherwise is `firstBadEvent`, however consistently D1's hashes were redone. */
            archive?: {
                checkpoints: number;
                events: number;
            };
            nextCursor?: string;
        };
        AuditBadEvent: {
            stream: string;
            seq: number;
            reason: string;
        };
        AuditCheckpoint: {
            body: components["schemas"]["AuditCheckpointBody"];
            /** @description Ed25519 over the UTF-8 of the body's canonical JSON (keys sorted), base64url. */
            signature: string;
        };
        AuditStreamExport: {
            stream: string;
            checkpoint: components["schemas"]["AuditCheckpoint"];
            proof: {
                index: number;
                size: number;
                path: string[];
            };
            events: components["schemas"]["AuditExportedEvent"][];
        };
        AuditExportedEvent: {
            stream: string;
            seq: number;
            type: string;
            atMs: number;
            /** @description The event's facts as stored: canonical JSON text. */
            data: string;
            prevHash: string;
            hash: string;
        };
        Order: {
            orderId: string;
            customerId: string;
            /** @enum {string} */
            status: "pending_payment" | "paid" | "fulfilled" | "payment_failed" | "expired" | "cancelled" | "refunded";
            items: {
                sku: string;
                quantity: number;
                unitAmount: number;
                holdId: string;
                /** @description On a located SKU (spec §11): where the hold's units were allocated; fulfilment, cancel and a restock follow it. */
                allocations?: {
                    location: string;
                    quantity: number;
                }[];
            }[];
            total: number;
            currency: string;
            holdIds: string[];
            payment: {
                /** @enum {string} */
                provider: "stripe" | "simulated";
                /**
                 * @description The provider's answer to the current attempt; null until it has answered.
                 * @enum {string|null}
                 */
                status: "requires_action" | "processing" | "succeeded" | "failed" | null;
                /** @description 1 for the checkout's charge, +1 for each `POST /v1/orders/{orderId}/pay` after a decline. */
                attempt: number;
                intentId?: string;
                /** @description Shown to the owning shopper only, and only while the order is `pending_payment` (3-D Secure confirms with it). */
                clientSecret?: string;
                failureReason?: string;
            };
            refund: {
                /**
                 * @description `pending` from the moment a refund is recorded until money and stock have moved.
                 * @enum {string}
                 */
                status: "pending" | "succeeded";
                refundId: string | null;
                reason: string | null;
                /** @description Whether committed units went back on hand (each hold `committed -> returned`). */
                restocked: boolean;
            } | null;
            /** @description Minor units refunded at the provider so far; a partial refund in its dashboard leaves the status as it is. */
            refundedAmount: number;
            /**
             * @description A cardholder's dispute of the payment: while `open` or once `lost` the order cannot be fulfilled; a lost one ends `refunded`.
             * @enum {string|null}
             */
            disputeStatus: "open" | "won" | "lost" | null;
            expiresAt: string;
            createdAt: string;
            updatedAt: string;
        };
        CheckoutInput: {
            holdIds: string[];
            /** @example pm_card_visa */
            paymentMethod: string;
            expectedTotal?: components["schemas"]["Money"] & unknown;
        } | {
            items: {
                /** @example tee-black-m */
                sku: string;
                quantity: number;
            }[];
            /** @example pm_card_visa */
            paymentMethod: string;
            expectedTotal?: components["schemas"]["Money"] & unknown;
        };
        PayInput: {
            /** @example pm_card_visa */
            paymentMethod: string;
        };
        FulfilInput: {
            /** @description Where it ships from: the location its units were allocated at. */
            location?: string;
        };
        RefundInput: {
            restock: boolean;
        };
        /** @description One run of the payments reconciliation: the provider's intents for our orders in `window` against the orders. `lateRefunds`: succeeded payments no order kept, refunded (`late_payment`); `settled`: successes the order had missed, applied; `flagged`: orders marked refunded with no refund at the provider, for the merchant to look at; `failures`: checks that could not be made this run (the next run tries again). Lists keep 100 entries; `drift` counts them all. */
        PaymentReconciliation: {
            reconciliationId: string;
            /** @enum {string} */
            trigger: "scheduled" | "owner";
            actor?: {
                keyId: string;
                /** @enum {string} */
                role: "owner" | "manager" | "fulfillment" | "viewer";
            };
            at: string;
            /** @enum {string} */
            provider: "stripe" | "simulated";
            window: {
                from: string;
                to: string;
            };
            complete: boolean;
            checked: {
                intents: number;
                succeededIntents: number;
                refundedOrders: number;
            };
            drift: {
                lateRefunds: number;
                settled: number;
                flagged: number;
                failures: number;
            };
            lateRefunds: {
                intentId: string;
                orderId: string;
                amount: number;
                currency: string;
                /** @enum {string} */
                why: "order_missing" | "order_ended" | "other_attempt";
                refundId: string | null;
            }[];
            settled: {
                intentId: string;
                orderId: string;
            }[];
            flagged: {
                orderId: string;
                intentId: string | null;
                /** @enum {string} */
                why: "no_provider_refund" | "no_refund_recorded";
            }[];
            failures: {
                id: string;
                error: string;
            }[];
        };
        MyHolds: {
            data: components["schemas"]["Hold"][];
        };
        MyOrdersPage: {
            data: components["schemas"]["Order"][];
            nextCursor: string | null;
        };
        StripeEvent: {
            /** @example evt_1Q0... */
            id: string;
            /** @example event */
            object?: string;
            /** @example payment_intent.succeeded */
            type: string;
            created?: number;
            livemode?: boolean;
            data: {
                /** @description The event's object. For the `payment_intent.*` events holdfast acts on, a PaymentIntent, of which it reads `id`, `amount`, `amount_received`, `currency`, `client_secret`, `last_payment_error.message`, `cancellation_reason` and `metadata` (`orderId`, `attempt`: set by holdfast when it created the intent). Other objects are acknowledged and ignored. */
                object: {
                    [key: string]: unknown;
                };
            } & {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        Access: {
            /** @description `root` for ADMIN_TOKEN. */
            keyId: string;
            /** @enum {string} */
            role: "owner" | "manager" | "fulfillment" | "viewer";
            locations: string[] | null;
        };
        CreatedApiKey: components["schemas"]["ApiKey"] & {
            /** @description The bearer secret (`hf_...`): shown in this reply only, kept only as a hash. */
            secret: string;
        };
        ApiKey: {
            /** @example key_3f2a9c1b7d4e5f60 */
            keyId: string;
            name: string;
            /** @enum {string} */
            role: "owner" | "manager" | "fulfillment" | "viewer";
            locations: string[] | null;
            createdAt: string;
            /** @description The key that created it (`root`: ADMIN_TOKEN). */
            createdBy: string;
            expiresAt: string | null;
            revokedAt: string | null;
            /** @description The last request it authenticated, to the minute. */
            lastUsedAt: string | null;
        };
        ApiKeyInput: {
            /** @example warehouse tablet */
            name: string;
            /**
             * @description `owner` everything; `manager` SKUs, stock, sales, orders; `fulfillment` orders; `viewer` reads.
             * @enum {string}
             */
            role: "owner" | "manager" | "fulfillment" | "viewer";
            /** @description Limits the key to these locations (spec §11); absent: every location. Not for owners. */
            locations?: string[];
            /**
             * Format: date-time
             * @description When the key stops working; absent: never.
             * @example 2027-01-31T00:00:00Z
             */
            expiresAt?: string;
        };
        CreatedWebhookSigningSecret: components["schemas"]["WebhookSigningSecret"] & {
            /** @description The Standard Webhooks secret (`whsec_...`): shown in this reply only. */
            secret: string;
        };
        WebhookSigningSecret: {
            /** @description `env`: MERCHANT_WEBHOOK_SECRET; others as POST made them. */
            secretId: string;
            /** @description Null for `env`. */
            createdAt: string | null;
            /** @description Null while it signs deliveries. */
            retiredAt: string | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: {
        /** @description The request's id: yours if you sent a well-formed `Request-Id` (8-64 of `A-Z a-z 0-9 . _ -`), else a new UUID. Quote it when reporting a problem. */
        RequestId: string;
        /** @description The W3C trace context of this request, `00-<trace id>-<span id>-<flags>`: it continues the `traceparent` you sent (a new trace when you sent none or a malformed one). Every log line, object call and queue message of the request carries the trace id. */
        Traceresponse: string;
        /** @description `true` when this is the stored reply of an earlier request with the same `Idempotency-Key`. */
        IdempotentReplayed: "true";
        /** @description Seconds to wait before retrying. */
        RetryAfter: number;
        /** @description The methods the path accepts, e.g. `GET, PUT`. */
        Allow: string;
        /** @description The scheme to authenticate with: `Bearer realm="holdfast"`. */
        WwwAuthenticate: string;
        /** @description Weak validator of the cached public view; send it back in `If-None-Match`. */
        ETag: string;
        /** @description `public, max-age=<EDGE_CACHE_TTL_SECONDS>` on cached public views, `private, no-store` on merchant views. */
        CacheControl: string;
        /** @description `websocket`: the protocol this resource speaks. */
        Upgrade: "websocket";
        /** @description Whether the edge answered: `hit`, `miss` or `stale` (a copy up to 60 s old, when building the view failed). */
        HoldfastCache: "hit" | "miss" | "stale";
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Healthy */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A binding is failing */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The metrics */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getSku: {
        parameters: {
            query?: never;
            header?: {
                /** @description An `ETag` of an earlier public view. */
                "if-none-match"?: string;
            };
            path: {
                sku: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The SKU, public or merchant view */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    "Cache-Control": components["headers"]["CacheControl"];
                    "Holdfast-Cache": components["headers"]["HoldfastCache"];
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SkuView"];
                };
            };
            /** @description The public view has not changed since the `If-None-Match` ETag */
            304: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putSku: {
        parameters: {
            query?: never;
            header?: {
                /** @description The SKU's `version` (its `ETag`); a stale one answers `412 version_conflict` with `currentVersion`. */
                "if-match"?: string;
            };
            path: {
                sku: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SkuInput"];
            };
        };
        responses: {
            /** @description Updated */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MerchantSku"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MerchantSku"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A conflict with the current state: `insufficient_stock` (`available`), `sold_out`, `limit_exceeded` (`remaining`), `sale_not_started`, `sale_ended`, `not_on_sale`, `hold_not_releasable`, `invalid_order_state` (`orderStatus`), `sale_overlap` (`conflicts`), `signing_secret_conflict` */
            409: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem */
            412: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `payload_too_large`: the body is over the limit (16 KiB; 512 KiB for the Stripe webhook) */
            413: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unsupported_media_type`: the body is not `application/json` (UTF-8) */
            415: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adjustStock: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body replay the first response for 24 h. */
                "idempotency-key"?: string;
                /** @description The SKU's `version` (its `ETag`); a stale one answers `412 version_conflict` with `currentVersion`. */
                "if-match"?: string;
            };
            path: {
                sku: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AdjustmentInput"];
            };
        };
        responses: {
            /** @description New levels; `ETag` is the SKU's version */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        sku: string;
                        levels: components["schemas"]["Levels"];
                        adjustment: components["schemas"]["AdjustmentInput"];
                        version: number;
                    };
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A conflict with the current state: `insufficient_stock` (`available`), `sold_out`, `limit_exceeded` (`remaining`), `sale_not_started`, `sale_ended`, `not_on_sale`, `hold_not_releasable`, `invalid_order_state` (`orderStatus`), `sale_overlap` (`conflicts`), `signing_secret_conflict` */
            409: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem */
            412: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `payload_too_large`: the body is over the limit (16 KiB; 512 KiB for the Stripe webhook) */
            413: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unsupported_media_type`: the body is not `application/json` (UTF-8) */
            415: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `idempotency_key_reused`: the same `Idempotency-Key` came with a different request */
            422: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getSkuStats: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                sku: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The SKU's counters */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SkuStats"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    stockSkuAtLocation: {
        parameters: {
            query?: never;
            header?: {
                /** @description The SKU's `version` (its `ETag`); a stale one answers `412 version_conflict` with `currentVersion`. */
                "if-match"?: string;
            };
            path: {
                sku: string;
                locationId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SkuLocationInput"];
            };
        };
        responses: {
            /** @description The SKU's levels with this location's; `ETag` is the SKU's version */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        sku: string;
                        levels: components["schemas"]["Levels"];
                        version: number;
                    };
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A conflict with the current state: `insufficient_stock` (`available`), `sold_out`, `limit_exceeded` (`remaining`), `sale_not_started`, `sale_ended`, `not_on_sale`, `hold_not_releasable`, `invalid_order_state` (`orderStatus`), `sale_overlap` (`conflicts`), `signing_secret_conflict` */
            409: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem */
            412: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `payload_too_large`: the body is over the limit (16 KiB; 512 KiB for the Stripe webhook) */
            413: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unsupported_media_type`: the body is not `application/json` (UTF-8) */
            415: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    watchSkuLevels: {
        parameters: {
            query?: never;
            header?: {
                /** @description `websocket`. Without it the answer is `426 upgrade_required`. */
                upgrade?: string;
            };
            path: {
                sku: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Switching Protocols: the WebSocket is open. The socket first receives the SKU's current levels, then a message on every change, at most about 4 a second (changes within 250 ms fold into one message carrying the latest levels; the last state is never dropped). Every message is a `LiveLevels` JSON text. Send `ping` to get `pong` (answered without waking the object) or `refresh` to get the latest levels again; anything else closes the socket with 1003. A socket that sends nothing for 10 minutes is closed with 1001 (send `ping` to keep it), and one client address may hold at most 20 sockets per SKU (more are refused `429 rate_limited`). */
            101: {
                headers: {
                    Upgrade: components["headers"]["Upgrade"];
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LiveLevels"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `upgrade_required`: this resource is a WebSocket; send `Upgrade: websocket` */
            426: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Upgrade: components["headers"]["Upgrade"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `rate_limited`: over a rate budget; `Retry-After` (and `retryAfterSeconds`) say when to come back */
            429: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other status: a problem document */
            default: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listSkuHolds: {
        parameters: {
            query?: {
                /** @description Only holds in this status. */
                status?: "held" | "checkout" | "committed" | "released" | "expired" | "returned";
                limit?: number;
                /** @description `nextCursor` of the previous page; opaque. */
                cursor?: string;
            };
            header?: never;
            path: {
                sku: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of holds */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["MerchantHold"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createHold: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body replay the first response for 24 h. */
                "idempotency-key"?: string;
                /** @description The admission token from the sale's waiting room; required when the SKU's live sale has one. */
                "holdfast-admission"?: string;
            };
            path: {
                sku: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["HoldInput"];
            };
        };
        responses: {
            /** @description The hold */
            201: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Hold"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A conflict with the current state: `insufficient_stock` (`available`), `sold_out`, `limit_exceeded` (`remaining`), `sale_not_started`, `sale_ended`, `not_on_sale`, `hold_not_releasable`, `invalid_order_state` (`orderStatus`), `sale_overlap` (`conflicts`), `signing_secret_conflict` */
            409: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `payload_too_large`: the body is over the limit (16 KiB; 512 KiB for the Stripe webhook) */
            413: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unsupported_media_type`: the body is not `application/json` (UTF-8) */
            415: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `idempotency_key_reused`: the same `Idempotency-Key` came with a different request */
            422: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `rate_limited`: over a rate budget; `Retry-After` (and `retryAfterSeconds`) say when to come back */
            429: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getHold: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                sku: string;
                holdId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The hold */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Hold"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    releaseHold: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                sku: string;
                holdId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The released hold */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Hold"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A conflict with the current state: `insufficient_stock` (`available`), `sold_out`, `limit_exceeded` (`remaining`), `sale_not_started`, `sale_ended`, `not_on_sale`, `hold_not_releasable`, `invalid_order_state` (`orderStatus`), `sale_overlap` (`conflicts`), `signing_secret_conflict` */
            409: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    changeHold: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body replay the first response for 24 h. */
                "idempotency-key"?: string;
                /** @description The admission token from the sale's waiting room; required when the SKU's live sale has one. */
                "holdfast-admission"?: string;
            };
            path: {
                sku: string;
                holdId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["HoldChangeInput"];
            };
        };
        responses: {
            /** @description The hold as it is now */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Hold"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A conflict with the current state: `insufficient_stock` (`available`), `sold_out`, `limit_exceeded` (`remaining`), `sale_not_started`, `sale_ended`, `not_on_sale`, `hold_not_releasable`, `invalid_order_state` (`orderStatus`), `sale_overlap` (`conflicts`), `signing_secret_conflict` */
            409: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `hold_expired`: a hold (or the order's holds) ended before it could be used */
            410: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `payload_too_large`: the body is over the limit (16 KiB; 512 KiB for the Stripe webhook) */
            413: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unsupported_media_type`: the body is not `application/json` (UTF-8) */
            415: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `idempotency_key_reused`: the same `Idempotency-Key` came with a different request */
            422: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `rate_limited`: over a rate budget; `Retry-After` (and `retryAfterSeconds`) say when to come back */
            429: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    voidHold: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body replay the first response for 24 h. */
                "idempotency-key"?: string;
            };
            path: {
                sku: string;
                holdId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VoidHoldInput"];
            };
        };
        responses: {
            /** @description The released hold */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Hold"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A conflict with the current state: `insufficient_stock` (`available`), `sold_out`, `limit_exceeded` (`remaining`), `sale_not_started`, `sale_ended`, `not_on_sale`, `hold_not_releasable`, `invalid_order_state` (`orderStatus`), `sale_overlap` (`conflicts`), `signing_secret_conflict` */
            409: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `payload_too_large`: the body is over the limit (16 KiB; 512 KiB for the Stripe webhook) */
            413: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unsupported_media_type`: the body is not `application/json` (UTF-8) */
            415: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `idempotency_key_reused`: the same `Idempotency-Key` came with a different request */
            422: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTransfers: {
        parameters: {
            query: {
                /** @description Required: transfers live in their SKU's object. */
                sku: string;
                status?: "in_transit" | "received" | "cancelled";
                limit?: number;
                /** @description `nextCursor` of the previous page; opaque. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of transfers */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["LocationTransfer"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createTransfer: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body replay the first response for 24 h. */
                "idempotency-key"?: string;
                /** @description The SKU's `version` (its `ETag`); a stale one answers `412 version_conflict` with `currentVersion`. */
                "if-match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LocationTransferInput"];
            };
        };
        responses: {
            /** @description The transfer, in transit */
            201: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LocationTransfer"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A conflict with the current state: `insufficient_stock` (`available`), `sold_out`, `limit_exceeded` (`remaining`), `sale_not_started`, `sale_ended`, `not_on_sale`, `hold_not_releasable`, `invalid_order_state` (`orderStatus`), `sale_overlap` (`conflicts`), `signing_secret_conflict` */
            409: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem */
            412: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `payload_too_large`: the body is over the limit (16 KiB; 512 KiB for the Stripe webhook) */
            413: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unsupported_media_type`: the body is not `application/json` (UTF-8) */
            415: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `idempotency_key_reused`: the same `Idempotency-Key` came with a different request */
            422: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    receiveTransfer: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body replay the first response for 24 h. */
                "idempotency-key"?: string;
                /** @description The SKU's `version` (its `ETag`); a stale one answers `412 version_conflict` with `currentVersion`. */
                "if-match"?: string;
            };
            path: {
                transferId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["LocationTransferReceipt"];
            };
        };
        responses: {
            /** @description The transfer after the receipt */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LocationTransfer"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A conflict with the current state: `insufficient_stock` (`available`), `sold_out`, `limit_exceeded` (`remaining`), `sale_not_started`, `sale_ended`, `not_on_sale`, `hold_not_releasable`, `invalid_order_state` (`orderStatus`), `sale_overlap` (`conflicts`), `signing_secret_conflict` */
            409: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem */
            412: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `payload_too_large`: the body is over the limit (16 KiB; 512 KiB for the Stripe webhook) */
            413: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unsupported_media_type`: the body is not `application/json` (UTF-8) */
            415: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `idempotency_key_reused`: the same `Idempotency-Key` came with a different request */
            422: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    cancelTransfer: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body replay the first response for 24 h. */
                "idempotency-key"?: string;
                /** @description The SKU's `version` (its `ETag`); a stale one answers `412 version_conflict` with `currentVersion`. */
                "if-match"?: string;
            };
            path: {
                transferId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cancelled transfer */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LocationTransfer"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A conflict with the current state: `insufficient_stock` (`available`), `sold_out`, `limit_exceeded` (`remaining`), `sale_not_started`, `sale_ended`, `not_on_sale`, `hold_not_releasable`, `invalid_order_state` (`orderStatus`), `sale_overlap` (`conflicts`), `signing_secret_conflict` */
            409: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem */
            412: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `idempotency_key_reused`: the same `Idempotency-Key` came with a different request */
            422: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTransfer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                transferId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The transfer */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LocationTransfer"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getSale: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                saleId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The sale */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    "Cache-Control": components["headers"]["CacheControl"];
                    "Holdfast-Cache": components["headers"]["HoldfastCache"];
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Sale"];
                };
            };
            /** @description Not changed since the `If-None-Match` ETag */
            304: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putSale: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                saleId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SaleInput"];
            };
        };
        responses: {
            /** @description Replaced */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Sale"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Sale"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `sale_overlap`: another sale lists one of these SKUs at an overlapping time and the items lack a `priority`; `conflicts` names them */
            409: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `payload_too_large`: the body is over the limit (16 KiB; 512 KiB for the Stripe webhook) */
            413: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unsupported_media_type`: the body is not `application/json` (UTF-8) */
            415: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listSales: {
        parameters: {
            query?: {
                /** @description Only sales in this state now. */
                status?: "upcoming" | "live" | "ended";
                limit?: number;
                /** @description `nextCursor` of the previous page; opaque. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of sales */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Sale"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    endSale: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body replay the first response for 24 h. */
                "idempotency-key"?: string;
            };
            path: {
                saleId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The ended sale */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Sale"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `idempotency_key_reused`: the same `Idempotency-Key` came with a different request */
            422: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    saleReport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                saleId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The report */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SaleReport"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    saleBoard: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                saleId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The board */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SaleBoard"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getQueueDraw: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                saleId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The draw */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueueDraw"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listQueueDrawEntrants: {
        parameters: {
            query?: {
                shard?: number;
                /** @description `nextCursor` of the previous page; opaque. */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                saleId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of entrant ids */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueueDrawEntrants"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getQueueEntrantProof: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                saleId: string;
                ticket: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The inclusion proof */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueueEntrantProof"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    joinQueue: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                saleId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["QueueJoinInput"];
            };
        };
        responses: {
            /** @description The shopper's place and status */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueueStatus"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A conflict with the current state: `insufficient_stock` (`available`), `sold_out`, `limit_exceeded` (`remaining`), `sale_not_started`, `sale_ended`, `not_on_sale`, `hold_not_releasable`, `invalid_order_state` (`orderStatus`), `sale_overlap` (`conflicts`), `signing_secret_conflict` */
            409: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `payload_too_large`: the body is over the limit (16 KiB; 512 KiB for the Stripe webhook) */
            413: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unsupported_media_type`: the body is not `application/json` (UTF-8) */
            415: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getQueueStatus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                saleId: string;
                ticket: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The shopper's status */
            200: {
                headers: {
                    "Cache-Control": components["headers"]["CacheControl"];
                    "Holdfast-Cache": components["headers"]["HoldfastCache"];
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueueStatus"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listInventory: {
        parameters: {
            query?: {
                /** @description `in_stock`: available > 0; `sold_out`: available = 0 (every unit sold or held). */
                status?: "in_stock" | "sold_out";
                /** @description `nextCursor` of the previous page; opaque. */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of SKUs */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["InventoryItem"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getLocation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                locationId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The location */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Location"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putLocation: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body replay the first response for 24 h. */
                "idempotency-key"?: string;
                /** @description The location's `revision` (its `ETag`; `0`: create only); a stale one answers `412 version_conflict` with `currentVersion`. */
                "if-match"?: string;
            };
            path: {
                locationId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LocationInput"];
            };
        };
        responses: {
            /** @description Replaced, or unchanged */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Location"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Location"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem */
            412: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `payload_too_large`: the body is over the limit (16 KiB; 512 KiB for the Stripe webhook) */
            413: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unsupported_media_type`: the body is not `application/json` (UTF-8) */
            415: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `idempotency_key_reused`: the same `Idempotency-Key` came with a different request */
            422: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listLocations: {
        parameters: {
            query?: {
                limit?: number;
                /** @description `nextCursor` of the previous page; opaque. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of locations */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Location"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getInventorySummary: {
        parameters: {
            query?: {
                sku?: string;
                /** @description `nextCursor` of the previous page; opaque. */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of SKUs */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["InventorySummary"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listLocationInventory: {
        parameters: {
            query: {
                location: string;
                /** @description `nextCursor` of the previous page; opaque. */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of SKUs */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["InventoryLocationItem"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    reconcileInventory: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** @example tee-black-m */
                    sku?: string;
                };
            };
        };
        responses: {
            /** @description The run's report */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InventoryReconciliation"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `payload_too_large`: the body is over the limit (16 KiB; 512 KiB for the Stripe webhook) */
            413: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unsupported_media_type`: the body is not `application/json` (UTF-8) */
            415: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listAuditEvents: {
        parameters: {
            query?: {
                /** @description One stream, e.g. `sku:tee-black-m` or `order:ord_...`. */
                stream?: string;
                /** @description `nextCursor` of the previous page; opaque. */
                cursor?: string;
                limit?: number;
                /** @description `newest`: the same order backwards, latest first (a cursor continues its own order). */
                order?: "oldest" | "newest";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["AuditEvent"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    verifyAudit: {
        parameters: {
            query?: {
                /** @description One stream, e.g. `sku:tee-black-m` or `order:ord_...`. */
                stream?: string;
                /** @description `nextCursor` of the previous page; opaque. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The verification */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditVerification"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAuditKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        alg: "Ed25519";
                        keyId: string;
                        /** @description Raw key, base64url (JWK `x`). */
                        publicKey: string;
                    };
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listAuditCheckpoints: {
        parameters: {
            query?: {
                /** @description `nextCursor` of the previous page; opaque. */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of checkpoints */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["AuditCheckpoint"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    exportAuditStream: {
        parameters: {
            query: {
                stream: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The export */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditStreamExport"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    checkout: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body replay the first response for 24 h. */
                "idempotency-key"?: string;
                /** @description The admission token from the sale's waiting room; required when the SKU's live sale has one. */
                "holdfast-admission"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CheckoutInput"];
            };
        };
        responses: {
            /** @description The order, pending payment */
            202: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A conflict with the current state: `insufficient_stock` (`available`), `sold_out`, `limit_exceeded` (`remaining`), `sale_not_started`, `sale_ended`, `not_on_sale`, `hold_not_releasable`, `invalid_order_state` (`orderStatus`), `sale_overlap` (`conflicts`), `signing_secret_conflict` */
            409: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `hold_expired`: a hold (or the order's holds) ended before it could be used */
            410: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `payload_too_large`: the body is over the limit (16 KiB; 512 KiB for the Stripe webhook) */
            413: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unsupported_media_type`: the body is not `application/json` (UTF-8) */
            415: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `idempotency_key_reused`: the same `Idempotency-Key` came with a different request */
            422: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `rate_limited`: over a rate budget; `Retry-After` (and `retryAfterSeconds`) say when to come back */
            429: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getOrder: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                orderId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The order */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    cancelOrder: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body replay the first response for 24 h. */
                "idempotency-key"?: string;
            };
            path: {
                orderId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cancelled order */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A conflict with the current state: `insufficient_stock` (`available`), `sold_out`, `limit_exceeded` (`remaining`), `sale_not_started`, `sale_ended`, `not_on_sale`, `hold_not_releasable`, `invalid_order_state` (`orderStatus`), `sale_overlap` (`conflicts`), `signing_secret_conflict` */
            409: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `idempotency_key_reused`: the same `Idempotency-Key` came with a different request */
            422: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    payOrder: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body replay the first response for 24 h. */
                "idempotency-key"?: string;
            };
            path: {
                orderId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PayInput"];
            };
        };
        responses: {
            /** @description The order, pending payment again */
            202: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A conflict with the current state: `insufficient_stock` (`available`), `sold_out`, `limit_exceeded` (`remaining`), `sale_not_started`, `sale_ended`, `not_on_sale`, `hold_not_releasable`, `invalid_order_state` (`orderStatus`), `sale_overlap` (`conflicts`), `signing_secret_conflict` */
            409: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `hold_expired`: a hold (or the order's holds) ended before it could be used */
            410: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `payload_too_large`: the body is over the limit (16 KiB; 512 KiB for the Stripe webhook) */
            413: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unsupported_media_type`: the body is not `application/json` (UTF-8) */
            415: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `idempotency_key_reused`: the same `Idempotency-Key` came with a different request */
            422: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    fulfillOrder: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body replay the first response for 24 h. */
                "idempotency-key"?: string;
            };
            path: {
                orderId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["FulfilInput"];
            };
        };
        responses: {
            /** @description The fulfilled order */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A conflict with the current state: `insufficient_stock` (`available`), `sold_out`, `limit_exceeded` (`remaining`), `sale_not_started`, `sale_ended`, `not_on_sale`, `hold_not_releasable`, `invalid_order_state` (`orderStatus`), `sale_overlap` (`conflicts`), `signing_secret_conflict` */
            409: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `payload_too_large`: the body is over the limit (16 KiB; 512 KiB for the Stripe webhook) */
            413: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unsupported_media_type`: the body is not `application/json` (UTF-8) */
            415: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `idempotency_key_reused`: the same `Idempotency-Key` came with a different request */
            422: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    refundOrder: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body replay the first response for 24 h. */
                "idempotency-key"?: string;
            };
            path: {
                orderId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefundInput"];
            };
        };
        responses: {
            /** @description The refunded order */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A conflict with the current state: `insufficient_stock` (`available`), `sold_out`, `limit_exceeded` (`remaining`), `sale_not_started`, `sale_ended`, `not_on_sale`, `hold_not_releasable`, `invalid_order_state` (`orderStatus`), `sale_overlap` (`conflicts`), `signing_secret_conflict` */
            409: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `payload_too_large`: the body is over the limit (16 KiB; 512 KiB for the Stripe webhook) */
            413: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unsupported_media_type`: the body is not `application/json` (UTF-8) */
            415: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `idempotency_key_reused`: the same `Idempotency-Key` came with a different request */
            422: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listOrders: {
        parameters: {
            query?: {
                status?: "pending_payment" | "paid" | "fulfilled" | "payment_failed" | "expired" | "cancelled" | "refunded";
                sku?: string;
                /** @description `nextCursor` of the previous page; opaque. */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of orders */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Order"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getPaymentReconciliation: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The last report */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentReconciliation"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    reconcilePayments: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The report */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentReconciliation"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listMyHolds: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller's live holds */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MyHolds"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listMyOrders: {
        parameters: {
            query?: {
                status?: "pending_payment" | "paid" | "fulfilled" | "payment_failed" | "expired" | "cancelled" | "refunded";
                /** @description `nextCursor` of the previous page; opaque. */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the caller's orders */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MyOrdersPage"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    receiveStripeEvent: {
        parameters: {
            query?: never;
            header: {
                "stripe-signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StripeEvent"];
            };
        };
        responses: {
            /** @description Handled */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        received: boolean;
                        /** @enum {string} */
                        outcome: "applied" | "duplicate" | "ignored";
                    };
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `payload_too_large`: the body is over the limit (16 KiB; 512 KiB for the Stripe webhook) */
            413: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unsupported_media_type`: the body is not `application/json` (UTF-8) */
            415: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After` */
            503: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAccess: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The calling key */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Access"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The newest 500 keys */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["ApiKey"][];
                    };
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApiKeyInput"];
            };
        };
        responses: {
            /** @description The key and its secret */
            201: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedApiKey"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `payload_too_large`: the body is over the limit (16 KiB; 512 KiB for the Stripe webhook) */
            413: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unsupported_media_type`: the body is not `application/json` (UTF-8) */
            415: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The revoked key */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listWebhookSecrets: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The secrets */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["WebhookSigningSecret"][];
                    };
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    addWebhookSecret: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new secret */
            201: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedWebhookSigningSecret"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A conflict with the current state: `insufficient_stock` (`available`), `sold_out`, `limit_exceeded` (`remaining`), `sale_not_started`, `sale_ended`, `not_on_sale`, `hold_not_releasable`, `invalid_order_state` (`orderStatus`), `sale_overlap` (`conflicts`), `signing_secret_conflict` */
            409: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    retireWebhookSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                secretId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The retired secret */
            200: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookSigningSecret"];
                };
            };
            /** @description `invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON */
            400: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: the credential is missing where required, malformed, invalid or expired */
            401: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission` */
            403: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `not_found`: no such resource, or not yours to see */
            404: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes */
            405: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    Allow: components["headers"]["Allow"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A conflict with the current state: `insufficient_stock` (`available`), `sold_out`, `limit_exceeded` (`remaining`), `sale_not_started`, `sale_ended`, `not_on_sale`, `hold_not_releasable`, `invalid_order_state` (`orderStatus`), `sale_overlap` (`conflicts`), `signing_secret_conflict` */
            409: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `internal`: a bug on our side; the request may be retried */
            500: {
                headers: {
                    "Request-Id": components["headers"]["RequestId"];
                    Traceresponse: components["headers"]["Traceresponse"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
