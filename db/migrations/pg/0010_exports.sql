-- PostgreSQL twin of db/migrations/0010_exports.sql: the same schema in PostgreSQL's types.
-- exports (issue 5): reserved; no schema change yet.
SELECT 1;
