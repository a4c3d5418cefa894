-- Up Migration

-- Partners referenced by mirrored orders. PII columns hold values sealed by the service
-- (AES-256-GCM, `v1.<key id>.<iv>.<ciphertext+tag>`); country and state stay in clear for
-- aggregate reports; e-mail and phone also get keyed blind indexes for lookups.
CREATE TABLE mirror_partners (
  odoo_id        integer PRIMARY KEY,
  parent_id      integer,
  type           text,
  is_company     boolean     NOT NULL DEFAULT false,
  -- Users' and the seller's own company's contacts are never redacted (issue: retention).
  is_user        boolean     NOT NULL DEFAULT false,
  is_company_partner boolean NOT NULL DEFAULT false,
  name           text,
  street         text,
  street2        text,
  zip            text,
  city           text,
  email          text,
  phone          text,
  mobile         text,
  state          text,
  country        text,
  email_index    text,
  phone_index    text,
  mobile_index   text,
  -- Keyed hash of everything mirrored from Odoo: tells a real change from a re-read.
  fingerprint    text        NOT NULL,
  -- False once Odoo holds only what a redaction left (the placeholder name).
  holds_pii      boolean     NOT NULL DEFAULT true,
  write_date     timestamptz,
  synced_at      timestamptz NOT NULL,
  redacted_at    timestamptz,
  deleted_at     timestamptz
);
CREATE INDEX mirror_partners_email_index ON mirror_partners (email_index) WHERE email_index IS NOT NULL;
CREATE INDEX mirror_partners_phone_index ON mirror_partners (phone_index) WHERE phone_index IS NOT NULL;
CREATE INDEX mirror_partners_mobile_index ON mirror_partners (mobile_index) WHERE mobile_index IS NOT NULL;
CREATE INDEX mirror_partners_parent ON mirror_partners (parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE mirror_orders (
  odoo_id              integer PRIMARY KEY,
  name                 text        NOT NULL,
  channel              text        NOT NULL,
  state                text        NOT NULL,
  order_date           timestamptz,
  shipped_at           timestamptz,
  completed_at         timestamptz,
  cancelled_at         timestamptz,
  amount_total         numeric(14, 2),
  currency             text,
  partner_id           integer,
  partner_invoice_id   integer,
  partner_shipping_id  integer,
  write_date           timestamptz,
  synced_at            timestamptz NOT NULL,
  redacted_at          timestamptz,
  deleted_at           timestamptz
);
CREATE INDEX mirror_orders_partner ON mirror_orders (partner_id);
CREATE INDEX mirror_orders_partner_invoice ON mirror_orders (partner_invoice_id);
CREATE INDEX mirror_orders_partner_shipping ON mirror_orders (partner_shipping_id);
CREATE INDEX mirror_orders_channel_state ON mirror_orders (channel, state);

-- Outgoing deliveries, which decide when an order shipped.
CREATE TABLE mirror_pickings (
  odoo_id      integer PRIMARY KEY,
  order_id     integer     NOT NULL,
  state        text        NOT NULL,
  date_done    timestamptz,
  write_date   timestamptz,
  synced_at    timestamptz NOT NULL
);
CREATE INDEX mirror_pickings_order ON mirror_pickings (order_id);

-- Where each incremental walk stands; committed in the same transaction as the page it follows.
CREATE TABLE sync_cursors (
  model       text PRIMARY KEY,
  cursor      jsonb       NOT NULL,
  updated_at  timestamptz NOT NULL
);

CREATE TABLE sync_runs (
  id           uuid PRIMARY KEY,
  trigger      text        NOT NULL CHECK (trigger IN ('schedule', 'api', 'cli')),
  state        text        NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
  requested_by text        NOT NULL,
  queued_at    timestamptz NOT NULL,
  started_at   timestamptz,
  finished_at  timestamptz,
  fetched      integer     NOT NULL DEFAULT 0,
  inserted     integer     NOT NULL DEFAULT 0,
  updated      integer     NOT NULL DEFAULT 0,
  failed       integer     NOT NULL DEFAULT 0,
  errors       jsonb       NOT NULL DEFAULT '[]'::jsonb
);
-- At most one sync queued or running, whoever asks for it.
CREATE UNIQUE INDEX sync_runs_one_active ON sync_runs ((true)) WHERE state IN ('queued', 'running');
CREATE INDEX sync_runs_queued_at ON sync_runs (queued_at DESC);
