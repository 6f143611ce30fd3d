-- Twin of ../0025_memo_epoch.sql: every change to the rows the server's
-- memo (src/model/memo.h) answers from adds one to memo_epoch.n, in the
-- same transaction. Statement triggers: one addition per statement.
CREATE TABLE memo_epoch (
    id bigint PRIMARY KEY CHECK (id = 1),
    n  bigint NOT NULL
);
INSERT INTO memo_epoch (id, n) VALUES (1, 0);

CREATE FUNCTION memo_epoch_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE memo_epoch SET n = n + 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER api_token_memo AFTER UPDATE OR DELETE ON api_token
    FOR EACH STATEMENT EXECUTE FUNCTION memo_epoch_bump();
CREATE TRIGGER person_memo AFTER UPDATE OR DELETE ON person
    FOR EACH STATEMENT EXECUTE FUNCTION memo_epoch_bump();
CREATE TRIGGER organisation_memo AFTER UPDATE OR DELETE ON organisation
    FOR EACH STATEMENT EXECUTE FUNCTION memo_epoch_bump();
CREATE TRIGGER territory_memo AFTER UPDATE OR DELETE ON territory
    FOR EACH STATEMENT EXECUTE FUNCTION memo_epoch_bump();
CREATE TRIGGER organisation_territory_memo AFTER INSERT OR UPDATE OR DELETE
    ON organisation_territory FOR EACH STATEMENT EXECUTE FUNCTION memo_epoch_bump();
CREATE TRIGGER ref_item_memo AFTER INSERT OR UPDATE OR DELETE ON ref_item
    FOR EACH STATEMENT EXECUTE FUNCTION memo_epoch_bump();
