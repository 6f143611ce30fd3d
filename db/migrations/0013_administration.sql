-- Administration, settings and self-service on the web (issue 13, part A).
--   * sectors get their English name (shown on English pages);
--   * a session remembers the browser that opened it (the user's own list
--     of sessions shows it; never the token);
--   * account_link: one-time links to set a password (an invitation to a
--     new account, a reset), stored as a hash, expiring, single use;
--   * two-factor sign-in (TOTP, RFC 6238): the secret sealed with the key
--     file like nominative fields, the last time step used (no replay),
--     recovery codes stored as hashes, and the pending second step of a
--     sign-in (login_challenge), kept in the database so that several
--     servers share it.
-- Settings need no schema: their table lives in src/model/settings.c and
-- the settings table keeps only the values someone set.

ALTER TABLE sector ADD COLUMN name_en TEXT;
UPDATE sector SET name_en = 'Health and Social Services' WHERE ext_id = 'MSSS';
UPDATE sector SET name_en = 'Family' WHERE ext_id = 'MFA';
UPDATE sector SET name_en = 'Education' WHERE ext_id = 'MEQ';
UPDATE sector SET name_en = 'Immigration, Francization and Integration' WHERE ext_id = 'MIFI';
UPDATE sector SET name_en = 'Employment and Social Solidarity' WHERE ext_id = 'MESS';
UPDATE sector SET name_en = 'Community' WHERE ext_id = 'COMM';
UPDATE sector SET name_en = 'Municipal' WHERE ext_id = 'MUN';
UPDATE sector SET name_en = 'Police' WHERE ext_id = 'POL';
UPDATE sector SET name_en = 'Other' WHERE ext_id = 'AUTRE';

ALTER TABLE session ADD COLUMN user_agent TEXT;

CREATE TABLE account_link (
    id         INTEGER PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE,
    person_id  INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('invitation', 'reset')),
    created_by INTEGER REFERENCES person (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX account_link_person ON account_link (person_id);

ALTER TABLE person ADD COLUMN totp_nonce BLOB;
ALTER TABLE person ADD COLUMN totp_secret BLOB;
ALTER TABLE person ADD COLUMN totp_enabled_at INTEGER;
ALTER TABLE person ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;

CREATE TABLE recovery_code (
    id        INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    code_hash BLOB NOT NULL,
    used_at   INTEGER
);
CREATE INDEX recovery_code_person ON recovery_code (person_id);

CREATE TABLE login_challenge (
    id         INTEGER PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE,
    person_id  INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    next_path  TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX login_challenge_expiry ON login_challenge (expires_at);
