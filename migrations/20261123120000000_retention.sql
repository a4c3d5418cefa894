-- Up Migration

-- One policy per channel; every change is a new version, kept for the audit.
CREATE TABLE retention_policies (
  channel      text PRIMARY KEY,
  clock_event  text        NOT NULL CHECK (clock_event IN ('order_date', 'shipped', 'completed')),
  period_days  integer     NOT NULL CHECK (period_days >= 0),
  fields       text[]      NOT NULL,
  version      integer     NOT NULL,
  updated_at   timestamptz NOT NULL,
  updated_by   text        NOT NULL
);
CREATE TABLE retention_policy_versions (
  channel      text        NOT NULL,
  version      integer     NOT NULL,
  clock_event  text        NOT NULL,
  period_days  integer     NOT NULL,
  fields       text[]      NOT NULL,
  created_at   timestamptz NOT NULL,
  created_by   text        NOT NULL,
  PRIMARY KEY (channel, version)
);

ALTER TABLE mirror_orders
  ADD COLUMN retention_due_at timestamptz,
  -- Which rule set the due date: policy version and clock event ('cancelled' when the event never came).
  ADD COLUMN retention_basis jsonb;
CREATE INDEX mirror_orders_retention_due ON mirror_orders (retention_due_at) WHERE redacted_at IS NULL;

ALTER TABLE mirror_partners
  -- When every order of the partner is due (NULL while one is not); the job runs at this time.
  ADD COLUMN retention_due_at timestamptz,
  ADD COLUMN redaction_fields text[],
  ADD COLUMN redacted_fields text[],
  -- The last redaction attempt that failed for this partner alone (missing in Odoo, refused...).
  ADD COLUMN redaction_failure jsonb,
  -- In dry-run mode: when the partner was reported as "would redact".
  ADD COLUMN dry_run_at timestamptz;
CREATE INDEX mirror_partners_retention_due ON mirror_partners (retention_due_at) WHERE redacted_at IS NULL;

CREATE TABLE holds (
  id            uuid PRIMARY KEY,
  subject_type  text        NOT NULL CHECK (subject_type IN ('order', 'partner', 'email')),
  -- Odoo id for orders and partners; the e-mail's blind index for e-mails (never the address).
  subject_ref   text        NOT NULL,
  subject_hint  text,
  reason        text        NOT NULL,
  ends_at       timestamptz,
  created_at    timestamptz NOT NULL,
  created_by    text        NOT NULL,
  released_at   timestamptz,
  released_by   text
);
CREATE INDEX holds_active ON holds (subject_type, subject_ref) WHERE released_at IS NULL;
