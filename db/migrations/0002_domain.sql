-- The whole domain of docs/domain.md, so later screens only add behaviour.
-- Conventions (portable to PostgreSQL):
--   * every record has an INTEGER surrogate key `id` and, where records are
--     imported, a TEXT `ext_id` unique within its kind (interchange.md's "id");
--   * calendar dates are TEXT 'YYYY-MM-DD' (local dates);
--   * instants are INTEGER Unix seconds (`*_at`), so elapsed time is exact
--     across daylight-saving changes;
--   * codes from reference lists are TEXT, validated by the model against
--     ref_item (an organisation can add its own entries).

CREATE TABLE territory (
    id        INTEGER PRIMARY KEY,
    ext_id    TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL,
    type      TEXT CHECK (type IN ('urbain', 'rural', 'mixte')),
    parent_id INTEGER REFERENCES territory (id)
);
CREATE INDEX territory_parent ON territory (parent_id);

CREATE TABLE portrait (
    id           INTEGER PRIMARY KEY,
    ext_id       TEXT NOT NULL UNIQUE,
    territory_id INTEGER NOT NULL REFERENCES territory (id),
    indicator    TEXT NOT NULL,
    label        TEXT,
    value        REAL NOT NULL,
    unit         TEXT,
    period_start TEXT,
    period_end   TEXT,
    source       TEXT
);
CREATE INDEX portrait_territory ON portrait (territory_id, indicator);

CREATE TABLE sector (
    id     INTEGER PRIMARY KEY,
    ext_id TEXT NOT NULL UNIQUE,
    name   TEXT NOT NULL
);

CREATE TABLE organisation (
    id        INTEGER PRIMARY KEY,
    ext_id    TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL,
    sector_id INTEGER NOT NULL REFERENCES sector (id)
);

CREATE TABLE organisation_territory (
    organisation_id INTEGER NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    territory_id    INTEGER NOT NULL REFERENCES territory (id),
    PRIMARY KEY (organisation_id, territory_id)
);

-- People who use Proxima (workers, managers, committee members, analysts,
-- administrators). An account is a person with a password hash (argon2id).
CREATE TABLE person (
    id              INTEGER PRIMARY KEY,
    ext_id          TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    email           TEXT UNIQUE,
    role            TEXT NOT NULL CHECK (role IN ('pap', 'gestionnaire', 'comite', 'analyste', 'admin')),
    organisation_id INTEGER REFERENCES organisation (id),
    territory_id    INTEGER REFERENCES territory (id),
    password_hash   TEXT,
    active          INTEGER NOT NULL DEFAULT 1,
    created_at      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX person_organisation ON person (organisation_id);

-- Browser sessions: only a hash of the token is stored.
CREATE TABLE session (
    id           INTEGER PRIMARY KEY,
    token_hash   BLOB NOT NULL UNIQUE,
    person_id    INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);
CREATE INDEX session_person ON session (person_id);

-- Bearer tokens for integrations: only a hash is stored.
CREATE TABLE api_token (
    id         INTEGER PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE,
    person_id  INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    revoked_at INTEGER
);

-- Failed logins, for throttling (by e-mail and by address).
CREATE TABLE login_failure (
    id      INTEGER PRIMARY KEY,
    email   TEXT NOT NULL,
    address TEXT NOT NULL,
    at      INTEGER NOT NULL
);
CREATE INDEX login_failure_email ON login_failure (email, at);
CREATE INDEX login_failure_address ON login_failure (address, at);

-- Reference lists (types, places, needs, outcomes, strategies, populations,
-- components). organisation_id NULL = shipped default.
CREATE TABLE ref_item (
    id              INTEGER PRIMARY KEY,
    list            TEXT NOT NULL CHECK (list IN ('activity_type', 'component', 'strategy', 'place',
                                                  'need', 'outcome', 'population')),
    code            TEXT NOT NULL,
    label_fr        TEXT NOT NULL,
    label_en        TEXT NOT NULL,
    organisation_id INTEGER REFERENCES organisation (id),
    sort            INTEGER NOT NULL DEFAULT 0,
    active          INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX ref_item_code ON ref_item (list, code, coalesce(organisation_id, 0));

-- PAP positions, their holders over time and their mandates.
CREATE TABLE position (
    id              INTEGER PRIMARY KEY,
    ext_id          TEXT NOT NULL UNIQUE,
    organisation_id INTEGER NOT NULL REFERENCES organisation (id),
    territory_id    INTEGER NOT NULL REFERENCES territory (id),
    start_date      TEXT NOT NULL,
    end_date        TEXT,
    contact         TEXT,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX position_territory ON position (territory_id);
CREATE INDEX position_organisation ON position (organisation_id);

CREATE TABLE position_holder (
    id          INTEGER PRIMARY KEY,
    position_id INTEGER NOT NULL REFERENCES position (id) ON DELETE CASCADE,
    person_id   INTEGER NOT NULL REFERENCES person (id),
    from_date   TEXT NOT NULL,
    to_date     TEXT,
    CHECK (to_date IS NULL OR to_date >= from_date)
);
CREATE INDEX position_holder_position ON position_holder (position_id, from_date);
CREATE INDEX position_holder_person ON position_holder (person_id);

CREATE TABLE mandate_component (
    position_id INTEGER NOT NULL REFERENCES position (id) ON DELETE CASCADE,
    component   TEXT NOT NULL CHECK (component IN ('demarchage', 'accompagnement', 'collaboration')),
    PRIMARY KEY (position_id, component)
);

CREATE TABLE mandate_item (
    position_id   INTEGER NOT NULL REFERENCES position (id) ON DELETE CASCADE,
    population    TEXT NOT NULL,
    activity_type TEXT NOT NULL,
    PRIMARY KEY (position_id, population, activity_type)
);

-- Followed families. Nominative details are a libsodium secretbox of a
-- JSON object {name, phone, address}; the key is in a file, never here.
CREATE TABLE family (
    id                INTEGER PRIMARY KEY,
    ext_id            TEXT NOT NULL UNIQUE,
    organisation_id   INTEGER NOT NULL REFERENCES organisation (id),
    code              TEXT NOT NULL,
    follower_id       INTEGER REFERENCES person (id),
    opened            TEXT NOT NULL,
    closed            TEXT,
    consent_date      TEXT,
    consent_language  TEXT,
    consent_suivi     INTEGER NOT NULL DEFAULT 0,
    consent_reference INTEGER NOT NULL DEFAULT 0,
    consent_citation  INTEGER NOT NULL DEFAULT 0,
    nominative_nonce  BLOB,
    nominative        BLOB,
    anonymised_at     INTEGER,
    UNIQUE (organisation_id, code)
);
CREATE INDEX family_follower ON family (follower_id);

CREATE TABLE activity (
    id               INTEGER PRIMARY KEY,
    ext_id           TEXT NOT NULL UNIQUE,
    author_id        INTEGER NOT NULL REFERENCES person (id),
    organisation_id  INTEGER NOT NULL REFERENCES organisation (id),
    territory_id     INTEGER NOT NULL REFERENCES territory (id),
    date             TEXT NOT NULL,
    start_time       TEXT,
    duration_min     INTEGER NOT NULL CHECK (duration_min >= 0),
    ind_deplacement  INTEGER NOT NULL DEFAULT 0 CHECK (ind_deplacement >= 0),
    ind_interprete   INTEGER NOT NULL DEFAULT 0 CHECK (ind_interprete >= 0),
    ind_redaction    INTEGER NOT NULL DEFAULT 0 CHECK (ind_redaction >= 0),
    ind_preparation  INTEGER NOT NULL DEFAULT 0 CHECK (ind_preparation >= 0),
    type             TEXT NOT NULL,
    place            TEXT,
    unplanned        INTEGER NOT NULL DEFAULT 0,
    initiated_by     TEXT CHECK (initiated_by IN ('pap', 'personne', 'partenaire')),
    adults           INTEGER NOT NULL DEFAULT 0 CHECK (adults >= 0),
    children_0_5     INTEGER NOT NULL DEFAULT 0 CHECK (children_0_5 >= 0),
    children_6_17    INTEGER NOT NULL DEFAULT 0 CHECK (children_6_17 >= 0),
    families         INTEGER NOT NULL DEFAULT 0 CHECK (families >= 0),
    new_contacts     INTEGER NOT NULL DEFAULT 0 CHECK (new_contacts >= 0),
    hors_reseau      INTEGER NOT NULL DEFAULT 0 CHECK (hors_reseau >= 0),
    note             TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    deleted_at       INTEGER
);
CREATE INDEX activity_author_date ON activity (author_id, date);
CREATE INDEX activity_territory_date ON activity (territory_id, date);
CREATE INDEX activity_organisation_date ON activity (organisation_id, date);

CREATE TABLE activity_component (
    activity_id INTEGER NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    component   TEXT NOT NULL CHECK (component IN ('demarchage', 'accompagnement', 'collaboration')),
    PRIMARY KEY (activity_id, component)
);
CREATE TABLE activity_strategy (
    activity_id INTEGER NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    strategy    TEXT NOT NULL,
    PRIMARY KEY (activity_id, strategy)
);
CREATE TABLE activity_need (
    activity_id INTEGER NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    need        TEXT NOT NULL,
    PRIMARY KEY (activity_id, need)
);
CREATE TABLE activity_outcome (
    activity_id INTEGER NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    outcome     TEXT NOT NULL,
    PRIMARY KEY (activity_id, outcome)
);
CREATE TABLE activity_family (
    activity_id INTEGER NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    family_id   INTEGER NOT NULL REFERENCES family (id),
    PRIMARY KEY (activity_id, family_id)
);
CREATE INDEX activity_family_family ON activity_family (family_id);
CREATE TABLE activity_partner (
    activity_id     INTEGER NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisation (id),
    PRIMARY KEY (activity_id, organisation_id)
);
CREATE TABLE activity_pap (
    activity_id INTEGER NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    person_id   INTEGER NOT NULL REFERENCES person (id),
    PRIMARY KEY (activity_id, person_id)
);

-- Referral corridors and referrals (arrimage).
CREATE TABLE corridor (
    id                    INTEGER PRIMARY KEY,
    ext_id                TEXT NOT NULL UNIQUE,
    territory_id          INTEGER NOT NULL REFERENCES territory (id),
    name                  TEXT NOT NULL,
    need                  TEXT,
    population            TEXT,
    entry_organisation_id INTEGER NOT NULL REFERENCES organisation (id),
    target_days           REAL NOT NULL DEFAULT 2 CHECK (target_days > 0),
    active_from           TEXT,
    active_to             TEXT
);
CREATE INDEX corridor_territory ON corridor (territory_id);
CREATE TABLE corridor_language (
    corridor_id INTEGER NOT NULL REFERENCES corridor (id) ON DELETE CASCADE,
    language    TEXT NOT NULL,
    PRIMARY KEY (corridor_id, language)
);
CREATE TABLE corridor_field (
    corridor_id INTEGER NOT NULL REFERENCES corridor (id) ON DELETE CASCADE,
    field       TEXT NOT NULL,
    PRIMARY KEY (corridor_id, field)
);
CREATE TABLE corridor_portrait (
    corridor_id INTEGER NOT NULL REFERENCES corridor (id) ON DELETE CASCADE,
    indicator   TEXT NOT NULL,
    PRIMARY KEY (corridor_id, indicator)
);

CREATE TABLE referral (
    id                   INTEGER PRIMARY KEY,
    ext_id               TEXT NOT NULL UNIQUE,
    family_id            INTEGER NOT NULL REFERENCES family (id),
    from_organisation_id INTEGER NOT NULL REFERENCES organisation (id),
    to_organisation_id   INTEGER NOT NULL REFERENCES organisation (id),
    corridor_id          INTEGER REFERENCES corridor (id),
    need                 TEXT,
    sender_id            INTEGER REFERENCES person (id),
    first_contact_at     INTEGER,
    sent_at              INTEGER NOT NULL,
    received_at          INTEGER,
    taken_at             INTEGER,
    closed_at            INTEGER,
    outcome              TEXT CHECK (outcome IN ('prise_en_charge', 'refusee', 'reorientee', 'perdue')),
    reason               TEXT,
    previous_id          INTEGER REFERENCES referral (id),
    loop_detected        INTEGER NOT NULL DEFAULT 0,
    fields_json          TEXT
);
CREATE INDEX referral_to ON referral (to_organisation_id, sent_at);
CREATE INDEX referral_from ON referral (from_organisation_id, sent_at);
CREATE INDEX referral_family ON referral (family_id);
CREATE INDEX referral_previous ON referral (previous_id);

-- Team follow-up.
CREATE TABLE supervision (
    id            INTEGER PRIMARY KEY,
    ext_id        TEXT NOT NULL UNIQUE,
    person_id     INTEGER NOT NULL REFERENCES person (id),
    supervisor_id INTEGER REFERENCES person (id),
    date          TEXT NOT NULL,
    hours         REAL NOT NULL CHECK (hours > 0),
    type          TEXT CHECK (type IN ('individuelle', 'groupe', 'codeveloppement')),
    note          TEXT
);
CREATE INDEX supervision_person ON supervision (person_id, date);

CREATE TABLE support_request (
    id              INTEGER PRIMARY KEY,
    ext_id          TEXT NOT NULL UNIQUE,
    person_id       INTEGER NOT NULL REFERENCES person (id),
    date            TEXT NOT NULL,
    addressed_to    TEXT CHECK (addressed_to IN ('equipe', 'gestionnaire')),
    type            TEXT,
    urgency         TEXT,
    text            TEXT,
    acknowledged_at INTEGER,
    closed_at       INTEGER,
    resolution      TEXT
);
CREATE INDEX support_request_person ON support_request (person_id, date);

CREATE TABLE project (
    id             INTEGER PRIMARY KEY,
    ext_id         TEXT NOT NULL UNIQUE,
    territory_id   INTEGER NOT NULL REFERENCES territory (id),
    name           TEXT NOT NULL,
    start_date     TEXT NOT NULL,
    end_date       TEXT,
    goals          TEXT,
    families_count INTEGER,
    survey_token   TEXT UNIQUE
);
CREATE TABLE project_organisation (
    project_id      INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisation (id),
    PRIMARY KEY (project_id, organisation_id)
);

-- Surveys: answers only; no identifier of a family is ever stored.
CREATE TABLE survey (
    id           INTEGER PRIMARY KEY,
    ext_id       TEXT NOT NULL UNIQUE,
    type         TEXT NOT NULL CHECK (type IN ('pap', 'famille')),
    person_id    INTEGER REFERENCES person (id),
    project_id   INTEGER REFERENCES project (id),
    territory_id INTEGER NOT NULL REFERENCES territory (id),
    date         TEXT NOT NULL,
    score        INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment      TEXT
);
CREATE INDEX survey_territory ON survey (territory_id, type, date);

CREATE TABLE service_gap (
    id           INTEGER PRIMARY KEY,
    ext_id       TEXT NOT NULL UNIQUE,
    territory_id INTEGER NOT NULL REFERENCES territory (id),
    date         TEXT NOT NULL,
    need         TEXT NOT NULL,
    population   TEXT,
    author_id    INTEGER REFERENCES person (id),
    description  TEXT,
    frequency    TEXT,
    corridor_id  INTEGER REFERENCES corridor (id),
    project_id   INTEGER REFERENCES project (id)
);
CREATE INDEX service_gap_territory ON service_gap (territory_id, date);

-- Stories: the "sens" beside the "mesure".
CREATE TABLE story (
    id               INTEGER PRIMARY KEY,
    ext_id           TEXT NOT NULL UNIQUE,
    author_id        INTEGER NOT NULL REFERENCES person (id),
    date             TEXT NOT NULL,
    text             TEXT NOT NULL,
    activity_id      INTEGER REFERENCES activity (id),
    family_id        INTEGER REFERENCES family (id),
    project_id       INTEGER REFERENCES project (id),
    territory_id     INTEGER REFERENCES territory (id),
    consent_quote    INTEGER NOT NULL DEFAULT 0,
    selected         INTEGER NOT NULL DEFAULT 0,
    selection_reason TEXT,
    selected_by      INTEGER REFERENCES person (id),
    selected_at      INTEGER
);
CREATE TABLE story_tag (
    story_id INTEGER NOT NULL REFERENCES story (id) ON DELETE CASCADE,
    kind     TEXT NOT NULL CHECK (kind IN ('strategy', 'outcome', 'need', 'component')),
    code     TEXT NOT NULL,
    PRIMARY KEY (story_id, kind, code)
);

-- Idempotent writes: the same key from the same person returns the stored answer.
CREATE TABLE idempotency (
    person_id  INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    key        TEXT NOT NULL,
    method     TEXT NOT NULL,
    path       TEXT NOT NULL,
    status     INTEGER NOT NULL,
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (person_id, key)
);

-- Access log of nominative data: append-only, each entry chained to the
-- previous one by a BLAKE2b hash (proxima audit verify).
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    at           INTEGER NOT NULL,
    actor_id     INTEGER REFERENCES person (id),
    action       TEXT NOT NULL,
    object_kind  TEXT NOT NULL,
    object_id    INTEGER,
    information  TEXT NOT NULL,
    recipient_id INTEGER REFERENCES organisation (id),
    purpose      TEXT NOT NULL,
    prev_hash    BLOB NOT NULL,
    hash         BLOB NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Registers required by Loi 25 / LRSSS.
CREATE TABLE anonymisation_register (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    family_id   INTEGER REFERENCES family (id),
    actor_id    INTEGER REFERENCES person (id),
    method      TEXT NOT NULL,
    reason      TEXT NOT NULL
);
CREATE TABLE incident_register (
    id              INTEGER PRIMARY KEY,
    information     TEXT NOT NULL,
    circumstances   TEXT NOT NULL,
    occurred_on     TEXT,
    discovered_on   TEXT NOT NULL,
    people_count    INTEGER,
    risk_assessment TEXT,
    notices_sent    TEXT,
    measures_taken  TEXT,
    recorded_by     INTEGER REFERENCES person (id),
    recorded_at     INTEGER NOT NULL
);
