-- Issue 15, the province comparison under 1 s: the referrals of every
-- trajectory kept at write time in the form the arrimage indicators read
-- (model/trajectory.h). One row per (referral, territory the trajectory
-- counts for): the territories of its FIRST referral (its corridor's
-- territory, or without a corridor every territory its sending
-- organisation serves) with all their ancestors. A comparison reads each
-- territory's rows in (sent_at, referral_id) order from the primary key
-- alone: no corridor, organisation_territory or recursive chain at read
-- time. Not finished figures: the instants the "as of" rules read are kept
-- as stored in referral, so any period and any as_of can be computed.
--   root_id     the first referral of the chain (following previous_id)
--   root_org    the sending organisation of root_id (sector and
--               organisation filters of a scope)
--   reach_sent  the latest sent_at from root_id down to this referral: the
--               referral is in a read "sent before E" only when its whole
--               path is (reach_sent < E), as the recursive read requires
-- Written in the same write unit as every referral write; rebuilt by
-- `proxima reindex` and after this migration (cli_after_migrations).
CREATE TABLE trajectory_referral (
    territory_id     INTEGER NOT NULL,
    sent_at          INTEGER NOT NULL,
    referral_id      INTEGER NOT NULL,
    root_id          INTEGER NOT NULL,
    root_org         INTEGER NOT NULL,
    reach_sent       INTEGER NOT NULL,
    previous_id      INTEGER,
    from_org         INTEGER NOT NULL,
    to_org           INTEGER NOT NULL,
    corridor_id      INTEGER,
    first_contact_at INTEGER,
    taken_at         INTEGER,
    closed_at        INTEGER,
    outcome          TEXT,
    ckey             INTEGER,
    PRIMARY KEY (territory_id, sent_at, referral_id)
) WITHOUT ROWID;
-- A trajectory's rows, rewritten together (trajectory_refresh).
CREATE INDEX trajectory_referral_root ON trajectory_referral (root_id);
-- The trajectory a referral was in before a write moved it (an import that
-- changes previous_id).
CREATE INDEX trajectory_referral_referral ON trajectory_referral (referral_id);
