CREATE SCHEMA IF NOT EXISTS "billing";
--> statement-breakpoint
CREATE TABLE "billing"."invoices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"brand_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"amount_cents" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing"."ledger_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"brand_id" text NOT NULL,
	"invoice_id" uuid NOT NULL,
	"delta_cents" integer NOT NULL,
	"legacy_ref" text
);
--> statement-breakpoint
CREATE INDEX "ledger_entries_brand_idx" ON "billing"."ledger_entries" USING btree ("brand_id");
