ALTER TABLE "billing"."ledger_entries" DROP COLUMN "legacy_ref";--> statement-breakpoint
CREATE INDEX "invoices_brand_idx" ON "billing"."invoices" USING btree ("brand_id");
