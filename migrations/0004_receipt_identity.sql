ALTER TABLE "receipts" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_one_per_student" PRIMARY KEY USING INDEX "receipts_one_per_student";--> statement-breakpoint
DROP INDEX "inbound_events_received";--> statement-breakpoint
CREATE INDEX "inbound_events_received" ON "inbound_events" USING brin ("received_at");
