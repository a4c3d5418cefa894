-- Up Migration

-- The contacts an agent named as the subject when discovery could not attach them on its own (more
-- than RIGHTS_MAX_SUBJECT_CONTACTS found, or a shared e-mail field): {partnerIds, at, by}.
ALTER TABLE rights_requests ADD COLUMN subject_confirmation jsonb;
