-- Up Migration

-- An action that waits for a second key (RIGHTS_APPROVAL): {action: 'verify_manually'|'fulfil',
-- requestedBy, requestedAt}. Its input (the evidence note, a rectification's changes) is sealed in
-- approval_input like the requester's identifiers, under the place `request:<id>:approval_input`.
ALTER TABLE rights_requests ADD COLUMN approval jsonb;
ALTER TABLE rights_requests ADD COLUMN approval_input text;
CREATE INDEX rights_requests_awaiting_approval ON rights_requests (id) WHERE approval IS NOT NULL;
