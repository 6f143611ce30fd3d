-- The activity's list tables become WITHOUT ROWID (issue 15, bulk import):
-- each row is one entry of one B-tree, keyed by its primary key
-- (activity_id, value), instead of a rowid table plus the autoindex of that
-- key. Same columns, keys, checks, references and indexes, so the SQL
-- that reads and writes them is unchanged; a bulk import writes about five
-- list rows per activity, and the file is about a quarter smaller
-- (docs/performance.md, "Bulk import, third pass"). Each table is rebuilt:
-- a copy without rowid, its rows, then it takes the old one's name.
-- PostgreSQL has no rowid: its twin is empty.

CREATE TABLE activity_component_new (
    activity_id INTEGER NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    component   TEXT NOT NULL CHECK (component IN ('demarchage', 'accompagnement', 'collaboration')),
    PRIMARY KEY (activity_id, component)
) WITHOUT ROWID;
INSERT INTO activity_component_new (activity_id, component) SELECT activity_id, component FROM activity_component;
DROP TABLE activity_component;
ALTER TABLE activity_component_new RENAME TO activity_component;

CREATE TABLE activity_strategy_new (
    activity_id INTEGER NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    strategy    TEXT NOT NULL,
    PRIMARY KEY (activity_id, strategy)
) WITHOUT ROWID;
INSERT INTO activity_strategy_new (activity_id, strategy) SELECT activity_id, strategy FROM activity_strategy;
DROP TABLE activity_strategy;
ALTER TABLE activity_strategy_new RENAME TO activity_strategy;

CREATE TABLE activity_need_new (
    activity_id INTEGER NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    need        TEXT NOT NULL,
    PRIMARY KEY (activity_id, need)
) WITHOUT ROWID;
INSERT INTO activity_need_new (activity_id, need) SELECT activity_id, need FROM activity_need;
DROP TABLE activity_need;
ALTER TABLE activity_need_new RENAME TO activity_need;

CREATE TABLE activity_outcome_new (
    activity_id INTEGER NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    outcome     TEXT NOT NULL,
    PRIMARY KEY (activity_id, outcome)
) WITHOUT ROWID;
INSERT INTO activity_outcome_new (activity_id, outcome) SELECT activity_id, outcome FROM activity_outcome;
DROP TABLE activity_outcome;
ALTER TABLE activity_outcome_new RENAME TO activity_outcome;

CREATE TABLE activity_family_new (
    activity_id INTEGER NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    family_id   INTEGER NOT NULL REFERENCES family (id),
    PRIMARY KEY (activity_id, family_id)
) WITHOUT ROWID;
INSERT INTO activity_family_new (activity_id, family_id) SELECT activity_id, family_id FROM activity_family;
DROP TABLE activity_family;
ALTER TABLE activity_family_new RENAME TO activity_family;

CREATE TABLE activity_partner_new (
    activity_id INTEGER NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisation (id),
    PRIMARY KEY (activity_id, organisation_id)
) WITHOUT ROWID;
INSERT INTO activity_partner_new (activity_id, organisation_id) SELECT activity_id, organisation_id FROM activity_partner;
DROP TABLE activity_partner;
ALTER TABLE activity_partner_new RENAME TO activity_partner;

CREATE TABLE activity_pap_new (
    activity_id INTEGER NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    person_id   INTEGER NOT NULL REFERENCES person (id),
    PRIMARY KEY (activity_id, person_id)
) WITHOUT ROWID;
INSERT INTO activity_pap_new (activity_id, person_id) SELECT activity_id, person_id FROM activity_pap;
DROP TABLE activity_pap;
ALTER TABLE activity_pap_new RENAME TO activity_pap;

CREATE INDEX activity_family_family ON activity_family (family_id);

-- A bulk import's sums (model/agg_bulk.c) pass through agg_stage on their
-- way to the six aggregate tables: loaded in one bulk load (COPY on
-- PostgreSQL), added to the tables with one INSERT ... SELECT ... ON
-- CONFLICT per table, then deleted, all in the import's transaction. It is
-- always empty between transactions. tab: 0 agg_act, 1 agg_act_code, 2
-- agg_act_link, 3 agg_org_act, 4 agg_org_code, 5 agg_org_link; name the
-- type or code, ref_id the linked row; v0..v28 the values (agg_act's in
-- their order; n of codes; n and ckey of links).
CREATE TABLE agg_stage (
    tab             INTEGER NOT NULL,
    territory_id    INTEGER NOT NULL,
    month           TEXT NOT NULL,
    organisation_id INTEGER NOT NULL,
    author_id       INTEGER NOT NULL,
    kind            TEXT,
    name            TEXT,
    ref_id          INTEGER NOT NULL,
    v0 INTEGER NOT NULL DEFAULT 0,
    v1 INTEGER NOT NULL DEFAULT 0,
    v2 INTEGER NOT NULL DEFAULT 0,
    v3 INTEGER NOT NULL DEFAULT 0,
    v4 INTEGER NOT NULL DEFAULT 0,
    v5 INTEGER NOT NULL DEFAULT 0,
    v6 INTEGER NOT NULL DEFAULT 0,
    v7 INTEGER NOT NULL DEFAULT 0,
    v8 INTEGER NOT NULL DEFAULT 0,
    v9 INTEGER NOT NULL DEFAULT 0,
    v10 INTEGER NOT NULL DEFAULT 0,
    v11 INTEGER NOT NULL DEFAULT 0,
    v12 INTEGER NOT NULL DEFAULT 0,
    v13 INTEGER NOT NULL DEFAULT 0,
    v14 INTEGER NOT NULL DEFAULT 0,
    v15 INTEGER NOT NULL DEFAULT 0,
    v16 INTEGER NOT NULL DEFAULT 0,
    v17 INTEGER NOT NULL DEFAULT 0,
    v18 INTEGER NOT NULL DEFAULT 0,
    v19 INTEGER NOT NULL DEFAULT 0,
    v20 INTEGER NOT NULL DEFAULT 0,
    v21 INTEGER NOT NULL DEFAULT 0,
    v22 INTEGER NOT NULL DEFAULT 0,
    v23 INTEGER NOT NULL DEFAULT 0,
    v24 INTEGER NOT NULL DEFAULT 0,
    v25 INTEGER NOT NULL DEFAULT 0,
    v26 INTEGER NOT NULL DEFAULT 0,
    v27 INTEGER NOT NULL DEFAULT 0,
    v28 INTEGER NOT NULL DEFAULT 0
);
