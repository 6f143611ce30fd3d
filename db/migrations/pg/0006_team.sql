-- PostgreSQL twin of db/migrations/0006_team.sql: the same schema in PostgreSQL's types.
-- Team follow-up (issue 6): the monthly supervision target of each
-- organisation, with an instance-wide default in settings, and an index to
-- find the open referrals a leaving holder sent (the hand-over).
CREATE TABLE team_setting (
    organisation_id          bigint PRIMARY KEY REFERENCES organisation (id) ON DELETE CASCADE,
    supervision_target_hours double precision NOT NULL
        CHECK (supervision_target_hours > 0 AND supervision_target_hours <= 200)
);

INSERT INTO settings (key, value) VALUES ('supervision_target_hours_month', '2');

CREATE INDEX referral_sender ON referral (sender_id);
