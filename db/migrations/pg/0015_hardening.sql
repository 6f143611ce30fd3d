-- PostgreSQL twin of db/migrations/0015_hardening.sql: the same schema in PostgreSQL's types.
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
    kind       text NOT NULL CHECK (kind IN ('pair', 'device', 'address', 'account')),
    key        text NOT NULL,
    failures   bigint NOT NULL,
    window_end bigint NOT NULL,
    PRIMARY KEY (kind, key)
);
CREATE INDEX login_throttle_expiry ON login_throttle (window_end);

-- Known devices: the BLAKE2b hash of the device cookie a successful
-- sign-in set, for that account (lower-case e-mail), until expires_at.
CREATE TABLE login_device (
    token_hash bytea NOT NULL PRIMARY KEY,
    email      text NOT NULL,
    expires_at bigint NOT NULL
);
CREATE INDEX login_device_expiry ON login_device (expires_at);

DROP TABLE login_failure;

-- Record keys of the cell-key method (model/cellkey.h): a random number in
-- [0, 2^24) drawn when an activity, a followed family or a referral is
-- made, never changed. NULL until `proxima migrate` draws the keys of the
-- records already there (then rebuilds the aggregates, as `proxima
-- reindex` does).
ALTER TABLE activity ADD COLUMN ckey bigint;
ALTER TABLE family ADD COLUMN ckey bigint;
ALTER TABLE referral ADD COLUMN ckey bigint;

-- The aggregates keep, per count of people, the sum of the keys of the
-- activities counted, each times the people it counts (modulo 2^24 per
-- activity): the cell key of any scope is the sum of its rows'.
ALTER TABLE agg_act ADD COLUMN k_adults bigint NOT NULL DEFAULT 0;
ALTER TABLE agg_act ADD COLUMN k_children_0_5 bigint NOT NULL DEFAULT 0;
ALTER TABLE agg_act ADD COLUMN k_children_6_17 bigint NOT NULL DEFAULT 0;
ALTER TABLE agg_act ADD COLUMN k_families bigint NOT NULL DEFAULT 0;
ALTER TABLE agg_act ADD COLUMN k_new_contacts bigint NOT NULL DEFAULT 0;
ALTER TABLE agg_act ADD COLUMN k_new_proactive bigint NOT NULL DEFAULT 0;
ALTER TABLE agg_act ADD COLUMN k_hors_reseau bigint NOT NULL DEFAULT 0;
ALTER TABLE agg_org_act ADD COLUMN k_adults bigint NOT NULL DEFAULT 0;
ALTER TABLE agg_org_act ADD COLUMN k_children_0_5 bigint NOT NULL DEFAULT 0;
ALTER TABLE agg_org_act ADD COLUMN k_children_6_17 bigint NOT NULL DEFAULT 0;
ALTER TABLE agg_org_act ADD COLUMN k_families bigint NOT NULL DEFAULT 0;
ALTER TABLE agg_org_act ADD COLUMN k_new_contacts bigint NOT NULL DEFAULT 0;
ALTER TABLE agg_org_act ADD COLUMN k_new_proactive bigint NOT NULL DEFAULT 0;
ALTER TABLE agg_org_act ADD COLUMN k_hors_reseau bigint NOT NULL DEFAULT 0;
-- A followed family's link rows carry its key (partners: 0), so distinct
-- families keep distinct keys.
ALTER TABLE agg_act_link ADD COLUMN ckey bigint NOT NULL DEFAULT 0;
ALTER TABLE agg_org_link ADD COLUMN ckey bigint NOT NULL DEFAULT 0;

-- The trajectory indexes (0012) cover every column the arr.* indicators
-- read; the key joins them.
DROP INDEX referral_root_corridor;
CREATE INDEX referral_root_corridor ON referral (corridor_id, sent_at, from_organisation_id,
    to_organisation_id, first_contact_at, taken_at, closed_at, outcome, previous_id, ckey)
    WHERE previous_id IS NULL;
DROP INDEX referral_root_from;
CREATE INDEX referral_root_from ON referral (from_organisation_id, sent_at, to_organisation_id,
    first_contact_at, taken_at, closed_at, outcome, corridor_id, previous_id, ckey)
    WHERE previous_id IS NULL;
DROP INDEX referral_chain;
CREATE INDEX referral_chain ON referral (previous_id, sent_at, from_organisation_id,
    to_organisation_id, corridor_id, first_contact_at, taken_at, closed_at, outcome, ckey);
