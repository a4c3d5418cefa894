-- Up Migration

-- An e-mail hold matches contacts under every configured key (a key rotation re-indexes contacts
-- batch by batch), and keeps its address sealed so that a rotation can index it under a new key.
ALTER TABLE holds
  ADD COLUMN subject_indexes text[],
  ADD COLUMN subject_sealed text;
UPDATE holds SET subject_indexes = ARRAY[subject_ref] WHERE subject_type = 'email';
CREATE INDEX holds_email_indexes ON holds USING gin (subject_indexes) WHERE subject_type = 'email' AND released_at IS NULL;
