/**
 * The import rules of src/ (issue 16), checked by `npm run deps` in `npm test`.
 * Type-only imports and inline `import("...")` types count: a cycle through a
 * type still couples the two modules and is how the next value import slips in.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment:
        "A cycle makes two modules one: neither can be read, tested or moved alone, and load order decides " +
        "which sees the other half-built. Break it by moving the shared piece down or by having the lower " +
        "module declare what it needs (a Durable Object stub is typed by its binding, see stock/addressing.ts).",
      from: {},
      to: { circular: true },
    },
    {
      name: "domain-is-the-bottom",
      severity: "error",
      comment:
        "domain/ holds the vocabulary every layer shares (problems, types, currencies, canonical JSON). If it " +
        "imports a layer above, that layer's changes ripple everywhere and cycles follow. npm packages are fine.",
      from: { path: "^src/domain/" },
      to: { path: "^src/", pathNot: "^src/domain/" },
    },
    {
      name: "routes-only-from-the-router",
      severity: "error",
      comment:
        "Routes only parse, authorize and call: src/app.ts mounts them and nothing else reaches into them. " +
        "A shape or helper a lower module needs belongs below (domain/ or the module that owns it).",
      from: { path: "^src/", pathNot: ["^src/app\\.ts$", "^src/routes/"] },
      to: { path: "^src/routes/" },
    },
    {
      name: "platform-knows-only-domain",
      severity: "error",
      comment:
        "platform/ is the project's own toolkit over the runtime (backoff, object calls, JWT, logging): it must " +
        "stay reusable by every domain module, so it may use domain/ and itself only.",
      from: { path: "^src/platform/" },
      to: { path: "^src/", pathNot: ["^src/domain/", "^src/platform/"] },
    },
    {
      name: "http-only-from-the-edge",
      severity: "error",
      comment:
        "Only the HTTP layer (app.ts, routes/, http/, edge/ and the waiting room's edge answer) turns outcomes " +
        "into responses and reads requests; the domain below returns values (refusals included) and never sees " +
        "a request. The objects' own WebSocket endpoints (objects/, stock/live/push.ts) answer an upgrade with " +
        "a problem document, so they may build one with http/problem.ts and nothing else of http/.",
      from: {
        path: "^src/",
        pathNot: ["^src/app\\.ts$", "^src/routes/", "^src/http/", "^src/edge/", "^src/waiting-room/admission\\.ts$"],
      },
      to: { path: "^src/http/", pathNot: "^src/http/problem\\.ts$" },
    },
    {
      name: "problem-responses-only-at-http-surfaces",
      severity: "error",
      comment: "See http-only-from-the-edge: besides the HTTP layer, only the objects' WebSocket endpoints answer HTTP.",
      from: {
        path: "^src/",
        pathNot: [
          "^src/app\\.ts$",
          "^src/routes/",
          "^src/http/",
          "^src/edge/",
          "^src/waiting-room/admission\\.ts$",
          "^src/objects/",
          "^src/stock/live/push\\.ts$",
        ],
      },
      to: { path: "^src/http/problem\\.ts$" },
    },
    {
      name: "src-never-imports-tests",
      severity: "error",
      comment: "The Worker ships src/ alone; a helper it needs from test/ belongs in src/.",
      from: { path: "^src/" },
      to: { path: "^test/" },
    },
    {
      name: "no-orphans",
      severity: "error",
      comment:
        "A module that imports nothing and that nothing imports is dead code. Ambient declarations (.d.ts) " +
        "are read by the compiler, not imported.",
      from: { orphan: true, pathNot: ["\\.d\\.ts$"] },
      to: {},
    },
    {
      name: "no-dev-dependencies-in-src",
      severity: "error",
      comment: "The Worker's bundle may use runtime dependencies only; devDependencies are for tests and tooling.",
      from: { path: "^src/" },
      to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only"] },
    },
    {
      name: "no-undeclared-packages",
      severity: "error",
      comment:
        "A package used from src/ must be declared in package.json: one present only as another package's " +
        "dependency can change or vanish with that package.",
      from: { path: "^src/" },
      to: { dependencyTypes: ["npm-no-pkg", "npm-unknown"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // Keep imports that TypeScript erases (type-only and inline import("...") types): see the header.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
    },
  },
};
