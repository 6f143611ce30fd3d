-- PostgreSQL twin of db/migrations/0001_settings.sql: the same schema in PostgreSQL's types.
-- Instance settings (key/value): name of the instance, time zone, the
-- small-cell threshold, the escape window. Read at start-up; portable SQL.
CREATE TABLE settings (
    key   text PRIMARY KEY,
    value text NOT NULL
);

INSERT INTO settings (key, value) VALUES
    ('instance_name', 'Proxima'),
    ('time_zone', 'America/Toronto'),
    ('small_cell_threshold', '5'),
    ('escape_window_days', '30');

-- PostgreSQL only. Surrogate keys are identity columns; SQLite gives a new
-- row max(id) + 1, so a row inserted with an explicit id (an import, a
-- test fixture) never collides with the next generated one. This function,
-- run after each INSERT statement on a table with an identity `id`, moves
-- the identity's sequence past the largest id the statement inserted, so
-- the same holds here. Every later table with an identity id gets the
-- trigger too (tests/unit/test_db.c checks it).
CREATE FUNCTION proxima_id_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    top bigint;
    seq text;
BEGIN
    SELECT max(id) INTO top FROM new_rows;
    IF top IS NULL THEN
        RETURN NULL;
    END IF;
    seq := pg_get_serial_sequence(quote_ident(TG_TABLE_SCHEMA) || '.' || quote_ident(TG_TABLE_NAME), 'id');
    IF top > coalesce(pg_sequence_last_value(seq::regclass), 0) THEN
        PERFORM setval(seq, top);
    END IF;
    RETURN NULL;
END;
$$;
