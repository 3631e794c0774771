import { createRoute, z } from "@hono/zod-openapi";
import { LocationId, LocationStatus } from "../domain/locations";
import { refuse } from "../domain/problems";
import { merchantActorOf, requireScope, scopeOf } from "../http/auth";
import { LOCATION_SCOPED, router } from "../http/context";
import { idempotencyKey } from "../http/idempotency";
import { inScope } from "../stock/location-scope";
import { problemOf } from "../http/outcome";
import { idempotentOutcome } from "../idempotency/d1-replies";
import { writeLocation } from "../locations/write";
import { getLocation, listLocations } from "../locations/registry";
import { badCursor, decodeCursor, encodeCursor } from "../platform/cursor";
import {
  IdempotencyHeaders,
  IfMatchHeaders,
  jsonBody,
  jsonResponse,
  MANAGE,
  problems,
  queryInt,
  READ,
  versionTag,
  PageCursor,
} from "./schemas";

const LocationParam = LocationId.openapi({ param: { name: "locationId", in: "path" }, example: "wh-berlin" });

const LocationBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, "an ISO 3166-1 alpha-2 country code")
      .transform((c) => c.toUpperCase())
      .openapi({ example: "DE", description: "ISO 3166-1 alpha-2, any case; answered in upper case." }),
    latitude: z.number().min(-90).max(90).nullable().optional(),
    longitude: z.number().min(-180).max(180).nullable().optional(),
    fulfillsOnline: z.boolean().default(true).openapi({ description: "Serves shipped holds; default true." }),
    pickup: z.boolean().default(false).openapi({ description: "Serves `pickupAt` holds; default false." }),
    priority: z.number().int().min(-1000).max(1000).default(0).openapi({
      description: "Higher first under `priority` routing, and the tie-break of the others; default 0.",
    }),
    status: LocationStatus.default("active").openapi({ description: "`paused`: takes no new holds; its holds live on." }),
  })
  .refine((b) => (b.latitude ?? null) === null || (b.longitude ?? null) !== null, {
    message: "latitude needs longitude",
    path: ["longitude"],
  })
  .refine((b) => (b.longitude ?? null) === null || (b.latitude ?? null) !== null, {
    message: "longitude needs latitude",
    path: ["latitude"],
  })
  .openapi("LocationInput");

const LocationView = z
  .object({
    locationId: z.string(),
    name: z.string(),
    country: z.string(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    fulfillsOnline: z.boolean(),
    pickup: z.boolean(),
    priority: z.number().int(),
    status: LocationStatus,
    revision: z.number().int().openapi({ description: "+1 per change; a PUT that changes nothing keeps it." }),
    createdAt: z.string(),
    updatedAt: z.string(),
    skus: z.number().int().openapi({ description: "SKUs that stock this location." }),
    pendingSkus: z.number().int().openapi({
      description: "Of those, SKUs whose copy of this location is not yet known to be at `revision`; pushed within a minute.",
    }),
  })
  .openapi("Location");

const ListQuery = z.object({
  limit: queryInt(1, 100, 50),
  cursor: PageCursor,
});

const params = z.object({ locationId: LocationParam });

const PutHeaders = IdempotencyHeaders.extend({
  "if-match": IfMatchHeaders.shape["if-match"].openapi({
    description:
      "The location's `revision` (its `ETag`; `0`: create only); a stale one answers `412 version_conflict` with `currentVersion`.",
  }),
});

export const locationRoutes = router()
  .openapi(
    createRoute({
      method: "put",
      path: "/v1/locations/{locationId}",
      operationId: "putLocation",
      tags: ["locations"],
      summary: "Create or replace a location",
      description:
        "Registers a warehouse or store (spec §11). Every SKU stocking the location gets the new profile: up to 200 before " +
        "the reply, the rest within a minute (`pendingSkus`). A paused location takes no new holds; a moved one routes " +
        "`nearest` holds by its new coordinates. A PUT that changes nothing writes nothing and keeps `revision`. Each real " +
        "change appends `location.created` or `location.updated` to the audit stream `location:<id>`. `ETag` is `revision`.",
      security: MANAGE,
      [LOCATION_SCOPED]: true,
      request: { params, headers: PutHeaders, body: jsonBody(LocationBody) },
      responses: {
        200: jsonResponse(LocationView, "Replaced, or unchanged"),
        201: jsonResponse(LocationView, "Created"),
        ...problems(400, 401, 403, 412, 413, 415, 422, 503),
      },
    }),
    async (c) => {
      const { locationId } = c.req.valid("param");
      requireScope(c, locationId);
      const body = c.req.valid("json");
      const headers = c.req.valid("header");
      const input = { ...body, latitude: body.latitude ?? null, longitude: body.longitude ?? null };
      const idem = idempotencyKey(headers["idempotency-key"], { kind: "merchant" }, `put-location:${locationId}`, body);
      const write = { ifMatch: headers["if-match"] ?? null, actor: merchantActorOf(c), now_ms: Date.now() };
      const outcome = await idempotentOutcome(c.env, idem, write.now_ms, () => writeLocation(c.env, locationId, input, write));
      if (!outcome.ok) throw problemOf(outcome);
      if (outcome.replayed) c.header("Idempotent-Replayed", "true");
      c.header("etag", versionTag(outcome.value.location.revision));
      return c.json(outcome.value.location, outcome.value.created ? 201 : 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/locations",
      operationId: "listLocations",
      tags: ["locations"],
      summary: "The locations, ordered by id",
      description: "A key scoped to locations (spec §12) lists only its own: its pages may hold fewer than `limit`.",
      security: READ,
      [LOCATION_SCOPED]: true,
      request: { query: ListQuery },
      responses: {
        200: jsonResponse(z.object({ data: z.array(LocationView), nextCursor: z.string().nullable() }), "A page of locations"),
        ...problems(400, 401, 403),
      },
    }),
    async (c) => {
      const { cursor, limit } = c.req.valid("query");
      const after = cursor === undefined ? null : decodeCursor(cursor);
      if (cursor !== undefined && (after === null || !LocationId.safeParse(after).success)) throw problemOf(badCursor());
      const page = await listLocations(c.env.DB, after, limit);
      const last = page.rows.at(-1);
      // Filtered after the page is read, so the cursor still walks the whole registry.
      const scope = scopeOf(c);
      const data = page.rows.filter((l) => inScope(scope, l.locationId));
      return c.json({ data, nextCursor: page.more && last ? encodeCursor(last.locationId) : null }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/locations/{locationId}",
      operationId: "getLocation",
      tags: ["locations"],
      summary: "One location",
      security: READ,
      [LOCATION_SCOPED]: true,
      request: { params },
      responses: { 200: jsonResponse(LocationView, "The location"), ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const { locationId } = c.req.valid("param");
      requireScope(c, locationId);
      const view = await getLocation(c.env.DB, locationId);
      if (!view) throw problemOf(refuse("not_found", `No location "${locationId}".`));
      c.header("etag", versionTag(view.revision));
      return c.json(view, 200);
    },
  );
