-- Up Migration

-- Set while the redaction job refuses to start batches because the Odoo user lacks a right
-- redaction needs (e.g. deleting chatter tracking values): the contacts stay due, and the retention
-- report says why. One row at most; cleared by the first batch that finds every right granted.
CREATE TABLE redaction_block (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  reason text NOT NULL,
  -- ["unlink mail.tracking.value", ...]: operations and model names, nothing else
  missing_rights jsonb NOT NULL,
  since timestamptz NOT NULL,
  checked_at timestamptz NOT NULL
);
