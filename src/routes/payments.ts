import { createRoute } from "@hono/zod-openapi";
import { merchantActorOf } from "../http/auth";
import { router } from "../http/context";
import { ProblemError } from "../domain/problems";
import { lastReconciliation, reconcilePayments, ReconciliationReport } from "../payments/reconcile";
import { jsonResponse, MANAGE, problems, READ } from "./schemas";

const Report = ReconciliationReport.openapi("PaymentReconciliation", {
  description:
    "One run of the payments reconciliation: the provider's intents for our orders in `window` against the orders. " +
    "`lateRefunds`: succeeded payments no order kept, refunded (`late_payment`); `settled`: successes the order had missed, " +
    "applied; `flagged`: orders marked refunded with no refund at the provider, for the merchant to look at; `failures`: " +
    "checks that could not be made this run (the next run tries again). Lists keep 100 entries; `drift` counts them all.",
});

const PATH = "/v1/payments/reconciliation";

export const paymentRoutes = router()
  .openapi(
    createRoute({
      method: "post",
      path: PATH,
      operationId: "reconcilePayments",
      summary: "Reconcile payments now: the provider's intents against the orders; refunds late payments, flags missing refunds",
      description:
        "Runs the reconciliation the hourly cron runs and answers its report, also appended to the audit log " +
        "(stream `payments:reconciliation`). Safe to repeat: a payment refunded once is never refunded again.",
      security: MANAGE,
      responses: { 200: jsonResponse(Report, "The report"), ...problems(401, 403) },
    }),
    async (c) => c.json(await reconcilePayments(c.env, Date.now(), "owner", merchantActorOf(c)), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: PATH,
      operationId: "getPaymentReconciliation",
      summary: "The last payments reconciliation's report",
      security: READ,
      responses: { 200: jsonResponse(Report, "The last report"), ...problems(401, 403, 404) },
    }),
    async (c) => {
      const report = await lastReconciliation(c.env);
      if (!report) throw new ProblemError("not_found", "No payments reconciliation has run yet.");
      return c.json(report, 200);
    },
  );
