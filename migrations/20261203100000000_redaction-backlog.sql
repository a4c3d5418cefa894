-- Up Migration

-- Contacts already past due when they were planned (first sight of old orders, a new channel rule,
-- a shortened policy) wait for an admin's approval before anything is redacted (issue: safety).
ALTER TABLE mirror_partners
  -- When the contact joined the backlog; NULL when it never did.
  ADD COLUMN backlog_since timestamptz,
  -- The rule that made it due: {channel, policyVersion, startedBy}.
  ADD COLUMN backlog_basis jsonb,
  ADD COLUMN backlog_approved_at timestamptz,
  ADD COLUMN backlog_approved_by text;
CREATE INDEX mirror_partners_backlog ON mirror_partners ((backlog_basis ->> 'channel'))
  WHERE backlog_since IS NOT NULL AND backlog_approved_at IS NULL AND redacted_at IS NULL;

