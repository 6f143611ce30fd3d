-- PostgreSQL twin of db/migrations/0005_directory.sql: the same schema in PostgreSQL's types.
-- corridors and directory (issue 4): reserved; no schema change yet.
SELECT 1;
