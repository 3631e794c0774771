import { z } from "zod";

/** A customer id (spec §6): the shopper token's `sub`, and the key of their usage and waiting-room places. */
export const CUSTOMER_ID = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@|-]*$/, "customer ids are letters, digits and . _ : @ | -");

/** An order id as checkout makes it (`ord_` and 24 hex digits of a key's hash or a random id). */
export const ORDER_ID_PATTERN = /^ord_[0-9a-f]{24}$/;
