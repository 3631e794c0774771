import type { PaymentProvider } from "./provider";
import { SimulatedProvider } from "./simulated";
import { StripeProvider } from "./stripe";

/** Stripe when a key is configured, else the simulated provider (spec §1). */
export function providerName(env: Env): PaymentProvider["name"] {
  return env.STRIPE_SECRET_KEY ? "stripe" : "simulated";
}

/** The provider an order was placed with; its later steps must go to the same one. */
export function paymentProvider(env: Env, name: PaymentProvider["name"] = providerName(env)): PaymentProvider {
  if (name === "stripe") {
    if (!env.STRIPE_SECRET_KEY) throw new Error("order was placed with Stripe but STRIPE_SECRET_KEY is not set");
    return new StripeProvider(env.STRIPE_SECRET_KEY, env.STRIPE_API_BASE);
  }
  return new SimulatedProvider();
}
