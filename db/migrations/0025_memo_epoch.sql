-- What the server keeps in memory between requests (src/model/memo.h): a
-- bearer token's person, whether a reference code is valid, whether an
-- organisation serves a territory. Every change to the rows those answers
-- come from adds one to memo_epoch.n, in the same transaction, whoever
-- makes it (the server, `proxima token revoke` in another process, an
-- import): a remembered answer is used only while n is what it was when the
-- answer was read, so a revoked token or a withdrawn code is refused by the
-- next request.
CREATE TABLE memo_epoch (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO memo_epoch (id, n) VALUES (1, 0);

CREATE TRIGGER api_token_memo_u AFTER UPDATE ON api_token
BEGIN UPDATE memo_epoch SET n = n + 1; END;
CREATE TRIGGER api_token_memo_d AFTER DELETE ON api_token
BEGIN UPDATE memo_epoch SET n = n + 1; END;
CREATE TRIGGER person_memo_u AFTER UPDATE ON person
BEGIN UPDATE memo_epoch SET n = n + 1; END;
CREATE TRIGGER person_memo_d AFTER DELETE ON person
BEGIN UPDATE memo_epoch SET n = n + 1; END;
CREATE TRIGGER organisation_memo_u AFTER UPDATE ON organisation
BEGIN UPDATE memo_epoch SET n = n + 1; END;
CREATE TRIGGER organisation_memo_d AFTER DELETE ON organisation
BEGIN UPDATE memo_epoch SET n = n + 1; END;
CREATE TRIGGER territory_memo_u AFTER UPDATE ON territory
BEGIN UPDATE memo_epoch SET n = n + 1; END;
CREATE TRIGGER territory_memo_d AFTER DELETE ON territory
BEGIN UPDATE memo_epoch SET n = n + 1; END;
CREATE TRIGGER organisation_territory_memo_i AFTER INSERT ON organisation_territory
BEGIN UPDATE memo_epoch SET n = n + 1; END;
CREATE TRIGGER organisation_territory_memo_u AFTER UPDATE ON organisation_territory
BEGIN UPDATE memo_epoch SET n = n + 1; END;
CREATE TRIGGER organisation_territory_memo_d AFTER DELETE ON organisation_territory
BEGIN UPDATE memo_epoch SET n = n + 1; END;
CREATE TRIGGER ref_item_memo_i AFTER INSERT ON ref_item
BEGIN UPDATE memo_epoch SET n = n + 1; END;
CREATE TRIGGER ref_item_memo_u AFTER UPDATE ON ref_item
BEGIN UPDATE memo_epoch SET n = n + 1; END;
CREATE TRIGGER ref_item_memo_d AFTER DELETE ON ref_item
BEGIN UPDATE memo_epoch SET n = n + 1; END;
