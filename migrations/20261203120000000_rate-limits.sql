-- Up Migration

-- Rate-limit counters, shared by every API process on this database: one fixed window per limit
-- and key. Keys are a request id, a keyed hash of a client address, or a sender's blind index:
-- never an address in clear. UNLOGGED: counters are worth no WAL; a crash only resets them.
CREATE UNLOGGED TABLE rate_limit_counters (
  limit_name  text        NOT NULL,
  key         text        NOT NULL,
  hits        integer     NOT NULL,
  resets_at   timestamptz NOT NULL,
  PRIMARY KEY (limit_name, key)
);
-- Expired counters are deleted a few at a time whenever a new window starts.
CREATE INDEX rate_limit_counters_resets ON rate_limit_counters (resets_at);
