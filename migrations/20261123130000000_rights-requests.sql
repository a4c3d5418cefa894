-- Up Migration

-- Data-subject rights requests. The requester's identifiers are sealed like the mirror's PII;
-- the e-mail also has a blind index, to find a person's requests and contacts.
CREATE TABLE rights_requests (
  id              text PRIMARY KEY,
  type            text        NOT NULL,
  jurisdiction    text        NOT NULL CHECK (jurisdiction IN ('gdpr', 'ccpa', 'other')),
  source          text        NOT NULL CHECK (source IN ('api', 'email')),
  state           text        NOT NULL,
  language        text        NOT NULL,
  received_at     timestamptz NOT NULL,
  due_at          timestamptz NOT NULL,
  target_at       timestamptz NOT NULL,
  acknowledge_by  timestamptz,
  email           text        NOT NULL,
  email_index     text        NOT NULL,
  phone           text,
  name            text,
  order_refs      text,
  -- {until, reason, noticeAt} of an extension, once granted.
  extension       jsonb,
  -- {method: 'code'|'manual', at, by, evidence (sealed, manual only)}
  verification    jsonb,
  denial          jsonb,
  -- Contacts found for the subject (Odoo ids), and what fulfilment did (ids, counts, reasons).
  subject_partner_ids integer[] NOT NULL DEFAULT '{}',
  outcome         jsonb,
  created_by      text        NOT NULL,
  updated_at      timestamptz NOT NULL,
  completed_at    timestamptz
);
CREATE INDEX rights_requests_state_due ON rights_requests (state, due_at);
CREATE INDEX rights_requests_email ON rights_requests (email_index);
CREATE INDEX rights_requests_received ON rights_requests (received_at, id);

CREATE TABLE rights_request_events (
  id          bigserial PRIMARY KEY,
  request_id  text        NOT NULL REFERENCES rights_requests (id),
  at          timestamptz NOT NULL,
  actor       text        NOT NULL,
  action      text        NOT NULL,
  from_state  text,
  to_state    text        NOT NULL,
  details     jsonb       NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX rights_request_events_request ON rights_request_events (request_id, id);

-- One live one-time code per request, stored as a keyed hash.
CREATE TABLE verification_codes (
  request_id  text PRIMARY KEY REFERENCES rights_requests (id),
  code_hash   text        NOT NULL,
  sent_at     timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  attempts    integer     NOT NULL DEFAULT 0
);

-- Export bundles (access, portability, know): sealed, downloadable once, then destroyed.
CREATE TABLE rights_exports (
  id            uuid PRIMARY KEY,
  request_id    text        NOT NULL REFERENCES rights_requests (id),
  bundle        text,
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  downloaded_at timestamptz,
  downloaded_by text,
  destroyed_at  timestamptz
);
CREATE INDEX rights_exports_request ON rights_exports (request_id);

-- Restriction, objection and opt-out recorded on the subject (by e-mail blind index and contacts).
CREATE TABLE subject_flags (
  id           uuid PRIMARY KEY,
  kind         text        NOT NULL CHECK (kind IN ('restriction', 'objection', 'opt_out')),
  email_index  text        NOT NULL,
  partner_ids  integer[]   NOT NULL,
  request_id   text        NOT NULL REFERENCES rights_requests (id),
  recorded_at  timestamptz NOT NULL
);
CREATE INDEX subject_flags_email ON subject_flags (email_index);

-- Mail to requesters, queued here and sent by the outbox worker; bodies are sealed.
CREATE TABLE outbox (
  id          uuid PRIMARY KEY,
  -- The order messages were queued in, to send them in that order.
  seq         bigserial   NOT NULL,
  request_id  text        REFERENCES rights_requests (id),
  kind        text        NOT NULL,
  language    text        NOT NULL,
  recipient   text        NOT NULL,
  subject     text        NOT NULL,
  body_text   text        NOT NULL,
  body_html   text        NOT NULL,
  state       text        NOT NULL CHECK (state IN ('queued', 'sent', 'failed')),
  created_at  timestamptz NOT NULL,
  sent_at     timestamptz,
  attempts    integer     NOT NULL DEFAULT 0,
  last_error  text
);
CREATE INDEX outbox_state ON outbox (state, seq);
