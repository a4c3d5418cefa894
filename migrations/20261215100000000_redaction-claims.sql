-- Up Migration

-- Redaction without a job per contact (issue #18): due times live in the mirror only, and a
-- redaction job claims a batch of due contacts at a time. A claim names the claiming pg-boss job;
-- a claim older than the job's expiry is a dead worker's, and is taken over.
ALTER TABLE mirror_partners
  ADD COLUMN redaction_claim text,
  ADD COLUMN redaction_claimed_at timestamptz,
  -- The erasure request that made the contact due, so that a redaction the request could not
  -- finish itself (Odoo down) is audited with it when a redaction job finishes it.
  ADD COLUMN erasure_request_id text;

-- "Due, not redacted", in due order: what the sweeper counts, every claim reads (failures, rare,
-- are filtered on the way) and the report lists. It replaces the index on the due date alone: one
-- index fewer to maintain for each contact the sync writes.
DROP INDEX mirror_partners_retention_due;
CREATE INDEX mirror_partners_redaction_due ON mirror_partners (retention_due_at, odoo_id) WHERE redacted_at IS NULL;

-- The per-contact redaction jobs that still wait are no longer needed: the sweeper finds their
-- contacts in the mirror. pg-boss creates its schema when the service first starts, after the
-- migrations, so on a new database there is nothing to delete.
DO $$
BEGIN
  IF to_regclass('pgboss.job') IS NOT NULL THEN
    DELETE FROM pgboss.job WHERE name = 'retention-redact' AND state IN ('created', 'retry') AND singleton_key LIKE 'partner:%';
  END IF;
END
$$;
