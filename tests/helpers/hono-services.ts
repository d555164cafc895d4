/**
 * Services written the way public Hono + @hono/zod-openapi projects write
 * them (our own fixtures reproducing the shapes, not their code), shared by
 * the route analysis and route rule tests.
 */

const SRC = "services/svc/src";

/** `src/<file>` → contents, for a service called svc. */
export function service(src: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(src).map(([p, text]) => [`${SRC}/${p}`, text]));
}

/** A service laid out the way the hono-open-api-starter family writes it: path alias, router factory, namespace imports, an app only handed to serve(). */
export function starterService(routeExtra = "") {
  return {
    "services/svc/tsconfig.json": `{
  "compilerOptions": {
    "baseUrl": "./", // aliases resolve from the service folder
    "paths": { "@/*": ["./src/*"] },
  },
}`,
    ...service({
      "index.ts": `import { serve } from "@hono/node-server";
import app from "./app";

serve({ fetch: app.fetch, port: 8080 });
`,
      "app.ts": `import configureOpenAPI from "@/lib/configure-open-api";
import createApp from "@/lib/create-app";
import health from "@/routes/health.route";
import notes from "@/routes/notes/notes.index";

const app = createApp();
configureOpenAPI(app);

const routers = [health, notes] as const;
routers.forEach((router) => {
  app.route("/", router);
});

export default app;
`,
      "lib/create-app.ts": `import { OpenAPIHono } from "@hono/zod-openapi";
import { logger } from "hono/logger";
import type { AppOpenAPI } from "./types";

export function createRouter() {
  return new OpenAPIHono({ strict: false });
}

export default function createApp() {
  const app = createRouter();
  app.use(logger());
  return app;
}

export function createTestApp(router: AppOpenAPI) {
  return createApp().route("/", router);
}
`,
      "lib/types.ts": `import type { OpenAPIHono } from "@hono/zod-openapi";
export type AppOpenAPI = OpenAPIHono;
`,
      "lib/configure-open-api.ts": `import type { AppOpenAPI } from "./types";

export default function configureOpenAPI(app: AppOpenAPI) {
  app.doc("/doc", { openapi: "3.0.0", info: { version: "1", title: "Notes" } });
}
`,
      "routes/health.route.ts": `import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "@/lib/create-app";

const router = createRouter().openapi(
  createRoute({ method: "get", path: "/healthz", responses: { 200: { description: "up" } } }),
  (c) => c.json({ ok: true }, 200),
);

export default router;
`,
      "routes/notes/notes.schemas.ts": `import { z } from "@hono/zod-openapi";

export const NoteSchema = z.object({ id: z.string().openapi({ example: "n_1" }), body: z.string() }).openapi("Note");
export const NotesSchema = z.array(NoteSchema).openapi({ description: "All notes" });
`,
      "routes/notes/notes.routes.ts": `import { createRoute } from "@hono/zod-openapi";
import { SCOPES, requireScope } from "@platform/scopes";
import { NoteSchema, NotesSchema } from "./notes.schemas";

export const list = createRoute({
  method: "get",
  path: "/notes",${routeExtra}
  responses: { 200: { description: "notes", content: { "application/json": { schema: NotesSchema } } } },
});

export const getOne = createRoute({
  method: "get",
  path: "/notes/{id}",${routeExtra}
  responses: { 200: { description: "a note", content: { "application/json": { schema: NoteSchema } } } },
});
`,
      "routes/notes/notes.handlers.ts": `export const list = async (c: any) => c.json([], 200);
export const getOne = async (c: any) => c.json({}, 200);
`,
      "routes/notes/notes.index.ts": `import { createRouter } from "@/lib/create-app";
import * as handlers from "./notes.handlers";
import * as routes from "./notes.routes";

const router = createRouter()
  .openapi(routes.list, handlers.list)
  .openapi(routes.getOne, handlers.getOne);

export default router;
`,
    }),
  };
}


/** The spec a starter service would generate: health and the two notes routes. */
export const STARTER_SPEC = `openapi: 3.0.0
info: { title: Notes, version: "1" }
paths:
  /healthz:
    get:
      responses: { "200": { description: up } }
  /notes:
    get:
      responses: { "200": { description: notes } }
  /notes/{id}:
    get:
      responses: { "200": { description: a note } }
`;

/** A service whose OAuth endpoints are a default-export sub-app, mounted at /oauth from a class method. */
export function oauthService(): Record<string, string> {
  return service({
    "index.ts": `import { serve } from "@hono/node-server";
import { Server } from "./server";

const server = new Server();
serve({ fetch: server.app.fetch });
`,
    "server.ts": `import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import oauth from "./oauth/oauth.router";

export class Server {
  readonly app = new OpenAPIHono();

  constructor() {
    this.app.openapi(createRoute({ method: "get", path: "/healthz", responses: { 200: { description: "up" } } }), (c) => c.json({ ok: true }, 200));
    this.mount();
  }

  private mount() {
    this.app.route("/oauth", oauth);
  }
}
`,
    "oauth/oauth.router.ts": `import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { SCOPES, requireScope } from "@platform/scopes";

const oauth = new OpenAPIHono();
oauth.openapi(
  createRoute({ method: "post", path: "/token", middleware: [requireScope(SCOPES.OAUTH)] as const, responses: { 200: { description: "token" } } }),
  (c) => c.json({ access_token: "t" }, 200),
);

export default oauth;
`,
  });
}
