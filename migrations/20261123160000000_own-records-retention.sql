-- Up Migration

-- The service's own records follow retention too. RIGHTS_RECORD_RETENTION_DAYS after a request
-- closes, the requester's identifiers, the verification evidence and the mail exchanged are
-- destroyed; the request itself stays (dates, type, state, outcome, denial reason: what the CCPA
-- asks to be kept as a record of the handling).
ALTER TABLE rights_requests
  ALTER COLUMN email DROP NOT NULL,
  ALTER COLUMN email_index DROP NOT NULL,
  ADD COLUMN identifiers_purged_at timestamptz;
-- What the purge looks at: closed requests still holding identifiers.
CREATE INDEX rights_requests_closed_held ON rights_requests (id)
  WHERE identifiers_purged_at IS NULL AND state IN ('completed', 'denied', 'withdrawn');

ALTER TABLE inbound_messages
  ALTER COLUMN message DROP NOT NULL,
  ADD COLUMN purged_at timestamptz;
CREATE INDEX inbound_messages_held ON inbound_messages (received_at) WHERE purged_at IS NULL;

ALTER TABLE outbox
  ALTER COLUMN recipient DROP NOT NULL,
  ALTER COLUMN subject DROP NOT NULL,
  ALTER COLUMN body_text DROP NOT NULL,
  ALTER COLUMN body_html DROP NOT NULL,
  ADD COLUMN purged_at timestamptz;

-- What the export destruction looks at: bundles still held, by expiry.
CREATE INDEX rights_exports_held ON rights_exports (expires_at) WHERE bundle IS NOT NULL;
