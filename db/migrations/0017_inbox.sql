-- What needs attention (issue 16): the inbox's events, the referrals'
-- reminders, expiry and coded refusal reasons, each person's e-mail
-- choice. Portable SQL (SQLite and PostgreSQL).

-- One event of a person's inbox: what happened (kind, a code of
-- model/inbox.c), to what (referral_id for a referral's events, else
-- object_id: a support request or a survey campaign) and a code the reader
-- may already see (a support request's urgency). Never a name; a referral's
-- family code is read through the referral when shown, so what retention
-- removes from the family goes from the inbox too. Written in the write
-- unit of the action that causes it.
CREATE TABLE inbox_event (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    referral_id INTEGER REFERENCES referral (id) ON DELETE CASCADE,
    object_id   INTEGER,
    code        TEXT,
    read_at     INTEGER,
    mailed_at   INTEGER
);
-- The navigation's unread counts and the inbox page, per person.
CREATE INDEX inbox_event_person ON inbox_event (person_id, read_at, at);
-- The e-mail jobs: what is not mailed yet.
CREATE INDEX inbox_event_unmailed ON inbox_event (mailed_at, person_id);
-- A referral's events (its deletion removes them).
CREATE INDEX inbox_event_referral ON inbox_event (referral_id);

-- A referral's reminder (once, after referral_reminder_days without
-- acknowledgement) and its refusal reason as a code (referral_refusals;
-- older refusals keep their words in reason only).
ALTER TABLE referral ADD COLUMN reminded_at INTEGER;
ALTER TABLE referral ADD COLUMN refusal_code TEXT;
-- The schedule's hourly pass reads the open referrals by their sending time.
CREATE INDEX referral_open_sent ON referral (sent_at) WHERE outcome IS NULL AND taken_at IS NULL;

-- Each person's e-mail: none, a daily digest or each event at once.
ALTER TABLE person ADD COLUMN notify_email TEXT NOT NULL DEFAULT 'aucun'
    CHECK (notify_email IN ('aucun', 'quotidien', 'immediat'));
