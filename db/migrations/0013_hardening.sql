-- Hardening (issue 14): stores that expire are purged off the request path,
-- through an index on their expiry (src/housekeeping.c).

-- Idempotency answers are kept 24 hours (api/idempotency.c); the purge
-- reads the oldest through this index instead of scanning the table under
-- the write lock of every keyed write.
CREATE INDEX idempotency_expiry ON idempotency (created_at);

-- Sign-in throttling (auth/throttle.c): failures per key in fixed windows.
-- kind 'pair' (account from an address block), 'device' (account from a
-- known device), 'address' (an address block, every account), 'account'
-- (every address). A row whose window ended counts nothing; the
-- housekeeping drops it through login_throttle_expiry. It replaces
-- login_failure, whose per-address count locked every account out.
CREATE TABLE login_throttle (
    kind       TEXT NOT NULL CHECK (kind IN ('pair', 'device', 'address', 'account')),
    key        TEXT NOT NULL,
    failures   INTEGER NOT NULL,
    window_end INTEGER NOT NULL,
    PRIMARY KEY (kind, key)
);
CREATE INDEX login_throttle_expiry ON login_throttle (window_end);

-- Known devices: the BLAKE2b hash of the device cookie a successful
-- sign-in set, for that account (lower-case e-mail), until expires_at.
CREATE TABLE login_device (
    token_hash BLOB NOT NULL PRIMARY KEY,
    email      TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX login_device_expiry ON login_device (expires_at);

DROP TABLE login_failure;
