import { z } from "zod";

/**
 * The merchant's roles (spec §12). Not a ladder: a viewer reads everything a
 * manager does (without customer personal data), fulfillment reads and
 * fulfils orders only, and only an owner manages keys and webhook secrets.
 */
export const ROLES = ["owner", "manager", "fulfillment", "viewer"] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** The id audit events name for the bootstrap credential, `ADMIN_TOKEN` (an owner). */
export const ROOT_KEY_ID = "root";

/** Who did a merchant action, as every audit event of one records it (spec §12). */
export const MerchantActor = z.strictObject({ keyId: z.string(), role: Role });
export type MerchantActor = z.infer<typeof MerchantActor>;
