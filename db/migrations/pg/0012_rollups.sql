-- PostgreSQL twin of db/migrations/0012_rollups.sql: the same schema in PostgreSQL's types.
-- Roll-ups and covering indexes for the dashboards at province scale
-- (issue 5; docs/performance.md).

-- Organisation-month roll-ups of the activity aggregates (0011): the same
-- sums without the author, one row per (territory, month, organisation,
-- type / code / linked id). A scope that does not name an author reads its
-- whole months here, a few hundred rows per territory-year instead of tens
-- of thousands keyed down to the author. Kept in the same transaction as
-- each activity write (model/aggregate.c) and rebuilt by `proxima reindex`.
CREATE TABLE agg_org_act (
    territory_id    bigint NOT NULL,
    month           text NOT NULL,
    organisation_id bigint NOT NULL,
    type            text NOT NULL,
    n               bigint NOT NULL DEFAULT 0,
    adults          bigint NOT NULL DEFAULT 0,
    children_0_5    bigint NOT NULL DEFAULT 0,
    children_6_17   bigint NOT NULL DEFAULT 0,
    families        bigint NOT NULL DEFAULT 0,
    new_contacts    bigint NOT NULL DEFAULT 0,
    new_proactive   bigint NOT NULL DEFAULT 0,
    hors_reseau     bigint NOT NULL DEFAULT 0,
    direct_min      bigint NOT NULL DEFAULT 0,
    deplacement     bigint NOT NULL DEFAULT 0,
    interprete      bigint NOT NULL DEFAULT 0,
    redaction       bigint NOT NULL DEFAULT 0,
    preparation     bigint NOT NULL DEFAULT 0,
    cdn             bigint NOT NULL DEFAULT 0,
    can             bigint NOT NULL DEFAULT 0,
    ccn             bigint NOT NULL DEFAULT 0,
    cd6             bigint NOT NULL DEFAULT 0,
    ca6             bigint NOT NULL DEFAULT 0,
    cc6             bigint NOT NULL DEFAULT 0,
    td6             bigint NOT NULL DEFAULT 0,
    ta6             bigint NOT NULL DEFAULT 0,
    tc6             bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (territory_id, month, organisation_id, type)
);
CREATE TABLE agg_org_code (
    territory_id    bigint NOT NULL,
    month           text NOT NULL,
    organisation_id bigint NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('strategy', 'need', 'outcome', 'place')),
    code            text NOT NULL,
    n               bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (territory_id, month, organisation_id, kind, code)
);
CREATE TABLE agg_org_link (
    territory_id    bigint NOT NULL,
    month           text NOT NULL,
    organisation_id bigint NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('family', 'partner')),
    ref_id          bigint NOT NULL,
    n               bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (territory_id, month, organisation_id, kind, ref_id)
);
INSERT INTO agg_org_act
SELECT territory_id, day, organisation_id, type, sum(n), sum(adults), sum(children_0_5),
       sum(children_6_17), sum(families), sum(new_contacts), sum(new_proactive),
       sum(hors_reseau), sum(direct_min), sum(deplacement), sum(interprete), sum(redaction),
       sum(preparation), sum(cdn), sum(can), sum(ccn), sum(cd6), sum(ca6), sum(cc6), sum(td6),
       sum(ta6), sum(tc6)
FROM agg_act WHERE grain = 'M' GROUP BY territory_id, day, organisation_id, type;
INSERT INTO agg_org_code
SELECT territory_id, day, organisation_id, kind, code, sum(n)
FROM agg_act_code WHERE grain = 'M' GROUP BY territory_id, day, organisation_id, kind, code;
INSERT INTO agg_org_link
SELECT territory_id, day, organisation_id, kind, ref_id, sum(n)
FROM agg_act_link WHERE grain = 'M' GROUP BY territory_id, day, organisation_id, kind, ref_id;

-- An organisation's territories in a period (an organisation's scope reads
-- the aggregates of those territories only).
CREATE INDEX agg_org_by_org ON agg_org_act (organisation_id, month, territory_id);

-- Referral trajectories (arr.* indicators, model/ind_arrimage.c): the first
-- referrals of a territory's trajectories, through their corridor or, without
-- one, their sending organisation (and an organisation's, through it), and
-- each following referral through
-- previous_id. Each index carries every column the indicators read, so a
-- dashboard reads index pages only. referral_chain replaces referral_previous.
CREATE INDEX referral_root_corridor ON referral (corridor_id, sent_at, from_organisation_id,
    to_organisation_id, first_contact_at, taken_at, closed_at, outcome, previous_id)
    WHERE previous_id IS NULL;
CREATE INDEX referral_root_from ON referral (from_organisation_id, sent_at, to_organisation_id,
    first_contact_at, taken_at, closed_at, outcome, corridor_id, previous_id)
    WHERE previous_id IS NULL;
CREATE INDEX referral_chain ON referral (previous_id, sent_at, from_organisation_id,
    to_organisation_id, corridor_id, first_contact_at, taken_at, closed_at, outcome);
DROP INDEX referral_previous;

-- act.accompagnements counts a scope's referrals sent in the period by
-- corridor and receiving sector: through the corridor, or without one the
-- sending organisation; both indexes carry the columns it reads.
DROP INDEX agg_referral_corridor;
CREATE INDEX agg_referral_corridor ON referral (corridor_id, sent_at, from_organisation_id,
    to_organisation_id, sender_id);
DROP INDEX referral_from;
CREATE INDEX referral_from ON referral (from_organisation_id, sent_at, corridor_id,
    to_organisation_id, sender_id);

-- The organisations serving a territory (scopes start from the territory).
CREATE INDEX organisation_territory_by_territory ON organisation_territory (territory_id,
    organisation_id);

-- arr.presentations_mandat: the presentations of a territory's period
-- without reading its other activities.
CREATE INDEX activity_presentation ON activity (territory_id, date, organisation_id)
    WHERE type = 'presentation_mandat' AND deleted_at IS NULL;
