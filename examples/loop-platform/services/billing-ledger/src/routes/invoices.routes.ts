import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { SCOPES, requireScope } from "@platform/scopes";
import type { InvoiceService } from "../services/invoice.service";

const InvoiceSchema = z.object({ id: z.string(), brand_id: z.string(), amount_cents: z.number().int() });
const ErrorSchema = z.object({ error: z.string(), message: z.string() });

const getInvoice = createRoute({
  method: "get",
  path: "/invoices/{id}",
  tags: ["invoices"],
  request: { params: z.object({ id: z.string() }) },
  responses: {
    200: { description: "OK", content: { "application/json": { schema: InvoiceSchema } } },
    404: { description: "Not found", content: { "application/json": { schema: ErrorSchema } } },
  },
});

export function createInvoiceRoutes(svc: InvoiceService): OpenAPIHono {
  const app = new OpenAPIHono();
  // Mounted under "/v1" (see src/index.ts), so this covers `/v1/invoices/*`, which under
  // Hono's router also matches `/v1/invoices` itself.
  app.use("/invoices/*", requireScope(SCOPES.READ_INVOICES));

  app.openapi(
    createRoute({
      method: "get",
      path: "/invoices",
      tags: ["invoices"],
      responses: { 200: { description: "OK", content: { "application/json": { schema: z.array(InvoiceSchema) } } } },
    }),
    async (c) => c.json(await svc.list(c.get("auth")!.brand_id), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/invoices",
      tags: ["invoices"],
      middleware: [requireScope(SCOPES.WRITE_INVOICES)] as const,
      request: { body: { content: { "application/json": { schema: z.object({ amount_cents: z.number().int() }) } } } },
      responses: { 201: { description: "Created", content: { "application/json": { schema: InvoiceSchema } } } },
    }),
    async (c) => c.json(await svc.create(c.req.valid("json"), c.get("auth")!.brand_id), 201),
  );

  app.openapi(getInvoice, async (c) => {
    const { id } = c.req.valid("param");
    const invoice = await svc.findById(id, c.get("auth")!.brand_id);
    if (!invoice) return c.json({ error: "not_found", message: `No invoice ${id}` }, 404);
    return c.json(invoice, 200);
  });

  return app;
}
