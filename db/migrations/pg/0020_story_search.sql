-- Issue 16, stories searched and paged in SQL: each story keeps the words of
-- its text normalised (core/fold.h, as the directory's search_text of
-- migration 0019), written with the story in the same statement; a search
-- matches one LIKE per query word, and only where the reader may read the
-- text (model/story.h). Rows already there are filled by `proxima migrate`
-- and `proxima init` (search_fill), since the normalisation is C.
ALTER TABLE story ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
