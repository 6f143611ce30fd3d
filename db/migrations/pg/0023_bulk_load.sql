-- SQLite's 0023 rebuilds the activity's list tables WITHOUT ROWID (one
-- B-tree a table instead of a rowid table and its key's index). A
-- PostgreSQL table has no rowid and its primary key is already its only
-- index: nothing to change. Only the staging table of a bulk import's sums is
-- created (unlogged: always empty between transactions).

-- A bulk import's sums (model/agg_bulk.c) pass through agg_stage on their
-- way to the six aggregate tables: loaded in one bulk load (COPY on
-- PostgreSQL), added to the tables with one INSERT ... SELECT ... ON
-- CONFLICT per table, then deleted, all in the import's transaction. It is
-- always empty between transactions. tab: 0 agg_act, 1 agg_act_code, 2
-- agg_act_link, 3 agg_org_act, 4 agg_org_code, 5 agg_org_link; name the
-- type or code, ref_id the linked row; v0..v28 the values (agg_act's in
-- their order; n of codes; n and ckey of links).
CREATE UNLOGGED TABLE agg_stage (
    tab             bigint NOT NULL,
    territory_id    bigint NOT NULL,
    month           text NOT NULL,
    organisation_id bigint NOT NULL,
    author_id       bigint NOT NULL,
    kind            text,
    name            text,
    ref_id          bigint NOT NULL,
    v0 bigint NOT NULL DEFAULT 0,
    v1 bigint NOT NULL DEFAULT 0,
    v2 bigint NOT NULL DEFAULT 0,
    v3 bigint NOT NULL DEFAULT 0,
    v4 bigint NOT NULL DEFAULT 0,
    v5 bigint NOT NULL DEFAULT 0,
    v6 bigint NOT NULL DEFAULT 0,
    v7 bigint NOT NULL DEFAULT 0,
    v8 bigint NOT NULL DEFAULT 0,
    v9 bigint NOT NULL DEFAULT 0,
    v10 bigint NOT NULL DEFAULT 0,
    v11 bigint NOT NULL DEFAULT 0,
    v12 bigint NOT NULL DEFAULT 0,
    v13 bigint NOT NULL DEFAULT 0,
    v14 bigint NOT NULL DEFAULT 0,
    v15 bigint NOT NULL DEFAULT 0,
    v16 bigint NOT NULL DEFAULT 0,
    v17 bigint NOT NULL DEFAULT 0,
    v18 bigint NOT NULL DEFAULT 0,
    v19 bigint NOT NULL DEFAULT 0,
    v20 bigint NOT NULL DEFAULT 0,
    v21 bigint NOT NULL DEFAULT 0,
    v22 bigint NOT NULL DEFAULT 0,
    v23 bigint NOT NULL DEFAULT 0,
    v24 bigint NOT NULL DEFAULT 0,
    v25 bigint NOT NULL DEFAULT 0,
    v26 bigint NOT NULL DEFAULT 0,
    v27 bigint NOT NULL DEFAULT 0,
    v28 bigint NOT NULL DEFAULT 0
);
