-- The privacy lifecycle (issue 13, part B): consent over time, closing and
-- reopening a family file, retention and anonymisation, the registers read
-- by the person in charge of the protection of personal information, the
-- access log made readable. Portable SQL (SQLite and PostgreSQL).

-- The person in charge of the protection of personal information of an
-- organisation (Loi 25 art. 3.1): any account of the organisation may be
-- designated; admins read every organisation's registers anyway.
ALTER TABLE person ADD COLUMN privacy_officer INTEGER NOT NULL DEFAULT 0;

-- How long a closed family file is kept before its nominative details are
-- destroyed and the rest anonymised, per organisation (months after the
-- closing date). An organisation without a row has the default of
-- src/model/retention.h.
CREATE TABLE retention_policy (
    organisation_id INTEGER PRIMARY KEY REFERENCES organisation (id) ON DELETE CASCADE,
    months          INTEGER NOT NULL CHECK (months BETWEEN 1 AND 1200),
    set_by          INTEGER REFERENCES person (id),
    set_at          INTEGER NOT NULL
);

-- A family file's history: consent given or withdrawn per scope, the file
-- closed (with a reason) and reopened. family keeps the state in force
-- (consent_* flags, closed); this keeps how it came to be.
ALTER TABLE family ADD COLUMN close_reason TEXT;
CREATE TABLE family_event (
    id          INTEGER PRIMARY KEY,
    family_id   INTEGER NOT NULL REFERENCES family (id),
    kind        TEXT NOT NULL CHECK (kind IN ('consent_given', 'consent_withdrawn', 'closed',
                                              'reopened')),
    scope       TEXT CHECK (scope IN ('suivi', 'reference', 'citation')),
    on_date     TEXT NOT NULL,
    language    TEXT,
    reason_code TEXT,
    reason      TEXT,
    actor_id    INTEGER REFERENCES person (id),
    at          INTEGER NOT NULL
);
CREATE INDEX family_event_family ON family_event (family_id, id);

-- The history starts with what the files say today (at = 0: before the
-- history was kept).
INSERT INTO family_event (family_id, kind, scope, on_date, language, at)
    SELECT id, 'consent_given', 'suivi', coalesce(consent_date, opened), consent_language, 0
    FROM family WHERE consent_suivi = 1;
INSERT INTO family_event (family_id, kind, scope, on_date, language, at)
    SELECT id, 'consent_given', 'reference', coalesce(consent_date, opened), consent_language, 0
    FROM family WHERE consent_reference = 1;
INSERT INTO family_event (family_id, kind, scope, on_date, language, at)
    SELECT id, 'consent_given', 'citation', coalesce(consent_date, opened), consent_language, 0
    FROM family WHERE consent_citation = 1;
INSERT INTO family_event (family_id, kind, on_date, at)
    SELECT id, 'closed', closed, 0 FROM family WHERE closed IS NOT NULL;

-- Retention finds the closed files of an organisation due for anonymisation.
CREATE INDEX family_retention ON family (organisation_id, closed);

-- The register of anonymisation and destruction: what, when, under which
-- rule, for which organisation.
ALTER TABLE anonymisation_register ADD COLUMN organisation_id INTEGER REFERENCES organisation (id);
ALTER TABLE anonymisation_register ADD COLUMN rule TEXT;
ALTER TABLE anonymisation_register ADD COLUMN what TEXT;
CREATE INDEX anonymisation_register_org ON anonymisation_register (organisation_id, at);

-- The confidentiality-incident register, with the fields of the regulation
-- (Règlement sur les incidents de confidentialité, art. 11): the period of
-- the incident, whether it presents a risk of serious harm, the dates of
-- the notices to the Commission and to the people concerned.
ALTER TABLE incident_register ADD COLUMN organisation_id INTEGER REFERENCES organisation (id);
ALTER TABLE incident_register ADD COLUMN occurred_to TEXT;
ALTER TABLE incident_register ADD COLUMN serious_risk INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incident_register ADD COLUMN notice_commission_on TEXT;
ALTER TABLE incident_register ADD COLUMN notice_people_on TEXT;
ALTER TABLE incident_register ADD COLUMN updated_by INTEGER REFERENCES person (id);
ALTER TABLE incident_register ADD COLUMN updated_at INTEGER;
CREATE INDEX incident_register_org ON incident_register (organisation_id, discovered_on);

-- The access log, readable: by period, person, object and action.
CREATE INDEX audit_log_at ON audit_log (at, id);
CREATE INDEX audit_log_actor ON audit_log (actor_id, at);
CREATE INDEX audit_log_object ON audit_log (object_kind, object_id);
CREATE INDEX audit_log_action ON audit_log (action, at);

-- Background jobs of `proxima serve` (the daily retention run): when each
-- last ran, so that several servers on one database run it once a day.
CREATE TABLE job_run (
    name    TEXT PRIMARY KEY,
    last_at INTEGER NOT NULL
);
