-- Referral workflow (issue 4): the history of every status change of a
-- referral, with who made it and why, so both sides see the whole story.
-- action is the status the referral entered ('envoyee' at creation).
CREATE TABLE referral_event (
    id          INTEGER PRIMARY KEY,
    referral_id INTEGER NOT NULL REFERENCES referral (id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    person_id   INTEGER REFERENCES person (id),
    action      TEXT NOT NULL CHECK (action IN ('envoyee', 'recue', 'prise_en_charge', 'refusee',
                                                'reorientee', 'perdue')),
    reason      TEXT
);
CREATE INDEX referral_event_referral ON referral_event (referral_id, at);
CREATE INDEX referral_open_to ON referral (to_organisation_id, outcome);
