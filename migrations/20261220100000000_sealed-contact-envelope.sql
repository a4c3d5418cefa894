-- Up Migration

-- A contact's personal data sealed as one value (issue #18): one AES-GCM operation per contact
-- instead of one per field, and a narrower row to write. `pii` holds the JSON object of the fields
-- Odoo had, sealed in the place `partner:<odoo_id>`; the blind indexes stay beside it.
--
-- The per-field columns (sealed in `partner:<odoo_id>:<field>`) stay until a later migration drops
-- them: the database cannot open them, so the service folds them into `pii` when it starts
-- (src/mirror/contact-envelope-fold.ts), and nothing else reads them.
ALTER TABLE mirror_partners ADD COLUMN pii text;
-- The contacts left to fold, found without reading the whole table at every start: empty once
-- folded, and nothing writes those columns any more.
CREATE INDEX mirror_partners_legacy_pii ON mirror_partners (odoo_id)
  WHERE name IS NOT NULL OR street IS NOT NULL OR street2 IS NOT NULL OR zip IS NOT NULL OR city IS NOT NULL OR email IS NOT NULL OR phone IS NOT NULL OR mobile IS NOT NULL;

-- The blind indexes are only ever looked up by equality (`= ANY(...)`), and a 64-character random
-- key lands on a random B-tree page: the three B-trees cost the first sync of 100,000 orders about
-- 0.9 s of PostgreSQL's time, hash indexes (4-byte codes, crash-safe since PostgreSQL 10) 0.15 s.
DROP INDEX mirror_partners_email_index, mirror_partners_phone_index, mirror_partners_mobile_index;
CREATE INDEX mirror_partners_email_index ON mirror_partners USING hash (email_index) WHERE email_index IS NOT NULL;
CREATE INDEX mirror_partners_phone_index ON mirror_partners USING hash (phone_index) WHERE phone_index IS NOT NULL;
CREATE INDEX mirror_partners_mobile_index ON mirror_partners USING hash (mobile_index) WHERE mobile_index IS NOT NULL;
