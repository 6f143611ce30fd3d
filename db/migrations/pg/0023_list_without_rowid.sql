-- SQLite's 0023 rebuilds the activity's list tables WITHOUT ROWID (one
-- B-tree a table instead of a rowid table and its key's index). A
-- PostgreSQL table has no rowid and its primary key is already its only
-- index: nothing to change.
SELECT 1;
