-- PostgreSQL twin of db/migrations/0009_reports.sql: the same schema in PostgreSQL's types.
-- Report engine settings (issue 5): the small-cell threshold T and the
-- escape window W, read by the engine (src/reports/engine.c). 0001 already
-- inserts them; this makes sure a database that lost them gets them back.
INSERT INTO settings (key, value)
    SELECT 'small_cell_threshold', '5'
    WHERE NOT EXISTS (SELECT 1 FROM settings WHERE key = 'small_cell_threshold');
INSERT INTO settings (key, value)
    SELECT 'escape_window_days', '30'
    WHERE NOT EXISTS (SELECT 1 FROM settings WHERE key = 'escape_window_days');
