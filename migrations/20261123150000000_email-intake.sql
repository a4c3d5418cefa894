-- Up Migration

-- Every message ForwardEmail delivered, once: the original is personal data and is kept sealed;
-- the Message-ID is kept as a keyed hash, enough to recognise a duplicate delivery or a reply.
CREATE TABLE inbound_messages (
  id              uuid PRIMARY KEY,
  message_key     text        NOT NULL UNIQUE,
  received_at     timestamptz NOT NULL,
  sender_index    text,
  request_id      text        REFERENCES rights_requests (id),
  outcome         text        NOT NULL CHECK (outcome IN ('created', 'attached', 'verified', 'ignored')),
  reason          text,
  classification  jsonb,
  message         text        NOT NULL,
  attachments     text
);
CREATE INDEX inbound_messages_request ON inbound_messages (request_id);
