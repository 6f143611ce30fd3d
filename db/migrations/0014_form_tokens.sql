-- One-time form tokens (issue 11, "No duplicates, with or without
-- JavaScript"): every page form carries a token; the first 303 it got is
-- kept here, in the transaction of the write it answers, so that the same
-- form posted again answers the same 303 instead of writing again. The
-- pages' twin of the API's idempotency table. Rows are kept 24 hours
-- (FORM_TOKEN_TTL) and purged off the write path through the index on
-- created_at.
CREATE TABLE form_token (
    person_id  INTEGER NOT NULL, -- who posted; 0 for a public form (no account)
    token      TEXT NOT NULL,    -- the form's token, as posted
    path       TEXT NOT NULL,    -- where the form was posted
    location   TEXT NOT NULL,    -- the first answer: a 303 to this
    created_at INTEGER NOT NULL, -- Unix seconds of the first answer
    PRIMARY KEY (person_id, token)
);

CREATE INDEX form_token_created ON form_token (created_at);
