ALTER TABLE "receipts" DROP CONSTRAINT "receipts_guardian_id_guardians_id_fk";
--> statement-breakpoint
ALTER TABLE "receipts" DROP CONSTRAINT "receipts_person_id_people_id_fk";
