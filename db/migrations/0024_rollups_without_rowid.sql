-- The organisation-month roll-ups (0012) become WITHOUT ROWID (issue 15,
-- province comparison): each row is one entry of one B-tree keyed by its
-- primary key, so a range read of a territory's months (the comparison, the
-- dashboards) finds n and ckey in the key's own pages instead of seeking the
-- rowid table for every row (docs/performance.md, "Province comparison,
-- fourth pass"). Same columns, keys, checks and indexes, so the SQL that
-- reads and writes them, `proxima reindex` and the import are unchanged.
-- Each table is rebuilt: a copy without rowid, its rows, then it takes the
-- old one's name. PostgreSQL has no rowid: its twin is empty.

CREATE TABLE agg_org_act_new (
    territory_id    INTEGER NOT NULL,
    month           TEXT NOT NULL,
    organisation_id INTEGER NOT NULL,
    type            TEXT NOT NULL,
    n               INTEGER NOT NULL DEFAULT 0,
    adults          INTEGER NOT NULL DEFAULT 0,
    children_0_5    INTEGER NOT NULL DEFAULT 0,
    children_6_17   INTEGER NOT NULL DEFAULT 0,
    families        INTEGER NOT NULL DEFAULT 0,
    new_contacts    INTEGER NOT NULL DEFAULT 0,
    new_proactive   INTEGER NOT NULL DEFAULT 0,
    hors_reseau     INTEGER NOT NULL DEFAULT 0,
    direct_min      INTEGER NOT NULL DEFAULT 0,
    deplacement     INTEGER NOT NULL DEFAULT 0,
    interprete      INTEGER NOT NULL DEFAULT 0,
    redaction       INTEGER NOT NULL DEFAULT 0,
    preparation     INTEGER NOT NULL DEFAULT 0,
    cdn             INTEGER NOT NULL DEFAULT 0,
    can             INTEGER NOT NULL DEFAULT 0,
    ccn             INTEGER NOT NULL DEFAULT 0,
    cd6             INTEGER NOT NULL DEFAULT 0,
    ca6             INTEGER NOT NULL DEFAULT 0,
    cc6             INTEGER NOT NULL DEFAULT 0,
    td6             INTEGER NOT NULL DEFAULT 0,
    ta6             INTEGER NOT NULL DEFAULT 0,
    tc6             INTEGER NOT NULL DEFAULT 0,
    k_adults        INTEGER NOT NULL DEFAULT 0,
    k_children_0_5  INTEGER NOT NULL DEFAULT 0,
    k_children_6_17 INTEGER NOT NULL DEFAULT 0,
    k_families      INTEGER NOT NULL DEFAULT 0,
    k_new_contacts  INTEGER NOT NULL DEFAULT 0,
    k_new_proactive INTEGER NOT NULL DEFAULT 0,
    k_hors_reseau   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (territory_id, month, organisation_id, type)
) WITHOUT ROWID;
INSERT INTO agg_org_act_new (territory_id, month, organisation_id, type, n, adults,
    children_0_5, children_6_17, families, new_contacts, new_proactive, hors_reseau,
    direct_min, deplacement, interprete, redaction, preparation, cdn, can, ccn, cd6, ca6, cc6,
    td6, ta6, tc6, k_adults, k_children_0_5, k_children_6_17, k_families, k_new_contacts,
    k_new_proactive, k_hors_reseau)
SELECT territory_id, month, organisation_id, type, n, adults,
    children_0_5, children_6_17, families, new_contacts, new_proactive, hors_reseau,
    direct_min, deplacement, interprete, redaction, preparation, cdn, can, ccn, cd6, ca6, cc6,
    td6, ta6, tc6, k_adults, k_children_0_5, k_children_6_17, k_families, k_new_contacts,
    k_new_proactive, k_hors_reseau
FROM agg_org_act;
DROP TABLE agg_org_act;
ALTER TABLE agg_org_act_new RENAME TO agg_org_act;
CREATE INDEX agg_org_by_org ON agg_org_act (organisation_id, month, territory_id);

CREATE TABLE agg_org_code_new (
    territory_id    INTEGER NOT NULL,
    month           TEXT NOT NULL,
    organisation_id INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('strategy', 'need', 'outcome', 'place')),
    code            TEXT NOT NULL,
    n               INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (territory_id, month, organisation_id, kind, code)
) WITHOUT ROWID;
INSERT INTO agg_org_code_new (territory_id, month, organisation_id, kind, code, n)
SELECT territory_id, month, organisation_id, kind, code, n FROM agg_org_code;
DROP TABLE agg_org_code;
ALTER TABLE agg_org_code_new RENAME TO agg_org_code;

CREATE TABLE agg_org_link_new (
    territory_id    INTEGER NOT NULL,
    month           TEXT NOT NULL,
    organisation_id INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('family', 'partner')),
    ref_id          INTEGER NOT NULL,
    n               INTEGER NOT NULL DEFAULT 0,
    ckey            INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (territory_id, month, organisation_id, kind, ref_id)
) WITHOUT ROWID;
INSERT INTO agg_org_link_new (territory_id, month, organisation_id, kind, ref_id, n, ckey)
SELECT territory_id, month, organisation_id, kind, ref_id, n, ckey FROM agg_org_link;
DROP TABLE agg_org_link;
ALTER TABLE agg_org_link_new RENAME TO agg_org_link;
