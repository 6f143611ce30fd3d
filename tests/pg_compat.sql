-- Test support only (tests/run.sh loads it into the PostgreSQL template):
-- SQLite's group_concat and instr, which some tests' ad-hoc checks use to
-- read the database. The application never calls them (its SQL is
-- portable, src/db/stmt_*.def).
CREATE FUNCTION test_gc_step(acc text, v text, sep text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN v IS NULL THEN acc WHEN acc IS NULL THEN v ELSE acc || sep || v END
$$;
CREATE FUNCTION test_gc_step(acc text, v text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT test_gc_step(acc, v, ',') $$;
CREATE AGGREGATE group_concat(text, text) (SFUNC = test_gc_step, STYPE = text);
CREATE AGGREGATE group_concat(text) (SFUNC = test_gc_step, STYPE = text);
CREATE FUNCTION instr(h text, n text) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$ SELECT strpos(h, n) $$;
CREATE FUNCTION instr(h bytea, n text) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$ SELECT position(convert_to(n, 'UTF8') IN h) $$;
-- The template's access log is left empty, unsealed: each test database
-- made from it is sealed under its test's key, as a new SQLite scratch
-- database is (support/scratch_db.c; "proxima init" for a server's).
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_delete;
DELETE FROM audit_log;
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_delete;
