import { serve } from "@hono/node-server";
import { OpenAPIHono } from "@hono/zod-openapi";
import { db } from "./db/client";
import { InvoiceRepository } from "./db/invoice.repository";
import { createHealthRoutes } from "./routes/health.routes";
import { createInvoiceRoutes } from "./routes/invoices.routes";
import { InvoiceService } from "./services/invoice.service";

const invoices = new InvoiceService(new InvoiceRepository(db));

const app = new OpenAPIHono();
app.route("/", createHealthRoutes());
// The invoice routes are declared relative to the API version they are mounted under.
app.route("/v1", createInvoiceRoutes(invoices));

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 8080) });
