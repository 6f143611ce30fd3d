-- Instance settings (key/value): name of the instance, time zone, the
-- small-cell threshold, the escape window. Read at start-up; portable SQL.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

INSERT INTO settings (key, value) VALUES
    ('instance_name', 'Proxima'),
    ('time_zone', 'America/Toronto'),
    ('small_cell_threshold', '5'),
    ('escape_window_days', '30');
