-- Issue 16, "Qui appeler ?": each row that a directory search reads keeps its
-- words normalised (core/fold.h: lower case, no accents, French plural and
-- feminine folded), written with the row in the same write; the query's
-- words are matched with one LIKE per word. Rows already there are filled
-- by `proxima migrate` and `proxima init` (search_fill, model/directory.h),
-- since the normalisation is C, the same for rows and queries.
ALTER TABLE ref_item ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE sector ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE organisation ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE corridor ADD COLUMN search_text TEXT NOT NULL DEFAULT '';

-- Issue 16, lists paged in SQL: a referral list is the organisation's
-- referrals newest first (sent_at DESC, id DESC), paged by keyset or offset
-- (model/referral.c, referral_list_page). SQLite's referral_from and
-- referral_to (organisation, sent_at) end with the row id, which serves the
-- tie-break; PostgreSQL's indexes do not, so these do.
CREATE INDEX referral_page_from ON referral (from_organisation_id, sent_at, id);
CREATE INDEX referral_page_to ON referral (to_organisation_id, sent_at, id);
