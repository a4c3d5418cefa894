-- Up Migration

-- The retention report's figures per channel, once a day (the `retention-snapshot` job), behind
-- GET /v1/retention/history: the mirror holds only the present, so the past is kept here. Counts
-- only, no personal data. A later snapshot of the same day replaces the day's rows.
CREATE TABLE retention_snapshots (
  day                date        NOT NULL,
  channel            text        NOT NULL,
  taken_at           timestamptz NOT NULL,
  orders_with_pii    integer     NOT NULL,
  contacts_with_pii  integer     NOT NULL,
  due_next_7_days    integer     NOT NULL,
  overdue            integer     NOT NULL,
  redacted           integer     NOT NULL,
  on_hold            integer     NOT NULL,
  failed             integer     NOT NULL,
  awaiting_approval  integer     NOT NULL,
  PRIMARY KEY (day, channel)
);
