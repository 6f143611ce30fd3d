-- PostgreSQL twin of db/migrations/0011_aggregates.sql: the same schema in PostgreSQL's types.
-- Aggregate tables of the activity journal (issue 5): every act.* indicator
-- of a scope (period, territory with descendants, sector, organisation,
-- author) reads these rather than the activities. They are kept in the same
-- transaction as each activity write (model/aggregate.c) and rebuilt by
-- `proxima reindex`.
--
-- Two grains share each table: grain 'D' rows have day = 'YYYY-MM-DD',
-- grain 'M' rows have day = 'YYYY-MM' (the whole month). A period reads
-- the months it covers whole at grain 'M' and its partial months at 'D'.
-- Deleted activities are not aggregated. Keys start with (grain, territory_id,
-- day) so a territory's period is one index range per territory.
--
-- agg_act: per (grain, day, territory, organisation, author, type), the
-- number of activities and the sums of their counts and minutes. Component
-- shares are kept exact in sixths (an activity with k components counts
-- 6/k toward each): c*6 activities, t*6 minutes (direct + indirect); c*n
-- count whole activities carrying the component.
CREATE TABLE agg_act (
    grain           text NOT NULL CHECK (grain IN ('D', 'M')),
    day             text NOT NULL,
    territory_id    bigint NOT NULL,
    organisation_id bigint NOT NULL,
    author_id       bigint NOT NULL,
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
    PRIMARY KEY (grain, territory_id, day, organisation_id, author_id, type)
);

-- agg_act_code: per (grain, day, territory, organisation, author) the
-- number of activities carrying a code of kind strategy / need / outcome /
-- place (place '' = none given).
CREATE TABLE agg_act_code (
    grain           text NOT NULL CHECK (grain IN ('D', 'M')),
    day             text NOT NULL,
    territory_id    bigint NOT NULL,
    organisation_id bigint NOT NULL,
    author_id       bigint NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('strategy', 'need', 'outcome', 'place')),
    code            text NOT NULL,
    n               bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (grain, territory_id, day, organisation_id, author_id, kind, code)
);

-- agg_act_link: per (grain, day, territory, organisation, author) the
-- followed families and partner organisations linked to activities, with
-- the number of activities linking them, so distinct counts over any scope
-- stay exact.
CREATE TABLE agg_act_link (
    grain           text NOT NULL CHECK (grain IN ('D', 'M')),
    day             text NOT NULL,
    territory_id    bigint NOT NULL,
    organisation_id bigint NOT NULL,
    author_id       bigint NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('family', 'partner')),
    ref_id          bigint NOT NULL,
    n               bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (grain, territory_id, day, organisation_id, author_id, kind, ref_id)
);

-- The pap "my work" scope (one author, every territory) reads by author.
CREATE INDEX agg_act_author ON agg_act (grain, author_id, day);
CREATE INDEX agg_act_code_author ON agg_act_code (grain, author_id, day);
CREATE INDEX agg_act_link_author ON agg_act_link (grain, author_id, day);

-- act.accompagnements counts referrals by sent_at over the whole province.
CREATE INDEX agg_referral_sent ON referral (sent_at);
CREATE INDEX agg_referral_corridor ON referral (corridor_id, sent_at);
