// What the signed-in key may do (spec §12), read from the server's own OpenAPI
// document: each operation's `security` lists the roles it admits, and
// `x-holdfast-location-scoped` marks the operations a key scoped to locations
// may call. The console asks here before it draws any control, so it cannot
// drift from what the server enforces; where a control is left out it says why.
import { h } from "./dom.js";

const LOCATION_SCOPED = "x-holdfast-location-scoped";
const METHODS = ["get", "put", "post", "delete", "patch"];
/** The order roles are named in a reason: the widest first. */
const ROLE_ORDER = ["owner", "manager", "fulfillment", "viewer"];

/**
 * The permissions of one key: `{ keyId, role, locations }` (locations null: every
 * location) against one OpenAPI document.
 */
export function permissionsOf(doc, access) {
  const role = access?.role ?? "owner";
  const scope = access?.locations ?? null;
  const op = (method, path) => doc?.paths?.[path]?.[method.toLowerCase()] ?? null;
  /** The roles an operation admits; null when it admits anyone (a `{}` alternative or no security). */
  const rolesOf = (o) => {
    if (!o.security || o.security.some((alt) => Object.keys(alt).length === 0)) return null;
    return ROLE_ORDER.filter((r) => o.security.some((alt) => alt.merchant?.includes(r)));
  };
  const byRole = (o) => {
    const roles = rolesOf(o);
    return roles === null || roles.includes(role);
  };
  const inScope = (o) => scope === null || o[LOCATION_SCOPED] === true;

  const self = {
    role,
    locations: scope,
    /** Whether this server has the operation at all (a panel's optional route). */
    has: (method, path) => op(method, path) !== null,
    /** Whether the signed-in key may call it: the server has it, its role is admitted, and its scope fits. */
    may: (method, path) => {
      const o = op(method, path);
      return o !== null && byRole(o) && inScope(o);
    },
    /**
     * Why the key may not do `what` (a sentence's subject, "Restocking"), over
     * every operation it needs; null when it may do all of them, or when the
     * server has none of them (the panel says "not available" then).
     */
    why: (what, ...ops) => {
      const found = ops.map(([m, p]) => op(m, p)).filter(Boolean);
      if (found.length === 0) return null;
      const refused = found.find((o) => !byRole(o));
      if (refused) return `${what} needs ${needs(rolesOf(refused))}; this is ${article(role)} ${role} key.`;
      const outside = found.find((o) => !inScope(o));
      if (outside) return `${what} is not limited to locations; this key is scoped to ${scope.join(", ")}.`;
      return null;
    },
    /**
     * The control `build()` makes when the key may call every one of `ops`, else
     * the reason in its place (`data-absent` names it), or nothing when the
     * server lacks the operations altogether.
     */
    control: (name, what, ops, build) => {
      if (ops.every(([m, p]) => self.may(m, p))) return build();
      const text = self.why(what, ...ops);
      return text ? absent(name, text) : null;
    },
    /** The reason the key may not do `what`, as an element in a control's place; null when it may. */
    reason: (name, what, ops) => {
      const text = self.why(what, ...ops);
      return text ? absent(name, text) : null;
    },
    /** Every operation the key may call, for a test or a debugging session: "GET /v1/skus", … */
    list: () =>
      Object.entries(doc?.paths ?? {}).flatMap(([p, ops]) =>
        METHODS.filter((m) => ops[m] && self.may(m, p)).map((m) => `${m.toUpperCase()} ${p}`),
      ),
  };
  return self;
}

/** A reason shown in place of a control. */
export function absent(name, text) {
  return h("p.absent", { role: "note", dataset: { absent: name } }, text);
}

function article(word) {
  return /^[aeiou]/.test(word) ? "an" : "a";
}

/** "an owner or manager key", "an owner, manager or viewer key". */
function needs(roles) {
  const names = roles.length > 1 ? `${roles.slice(0, -1).join(", ")} or ${roles.at(-1)}` : (roles[0] ?? "no");
  return `${article(names)} ${names} key`;
}
