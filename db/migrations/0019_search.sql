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

-- Issue 16, lists paged in SQL: the referral lists (newest first, sent_at
-- DESC then id DESC) are served by referral_from and referral_to
-- (organisation, sent_at), whose entries end with the row id on SQLite; the
-- PostgreSQL twin adds (organisation, sent_at, id).
