-- PostgreSQL twin of db/migrations/0014_form_tokens.sql: the same schema in PostgreSQL's types.
-- One-time form tokens (issue 11): the first 303 a page form got, kept in
-- the transaction of the write it answers, so that the same form posted
-- again answers the same 303 instead of writing again. Rows are kept 24
-- hours (FORM_TOKEN_TTL) and purged off the write path through the index
-- on created_at.
CREATE TABLE form_token (
    person_id  bigint NOT NULL,
    token      text NOT NULL,
    path       text NOT NULL,
    location   text NOT NULL,
    created_at bigint NOT NULL,
    PRIMARY KEY (person_id, token)
);

CREATE INDEX form_token_created ON form_token (created_at);
