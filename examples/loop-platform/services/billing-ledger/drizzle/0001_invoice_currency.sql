ALTER TABLE "billing"."invoices" ADD COLUMN "currency" text DEFAULT 'USD' NOT NULL;
