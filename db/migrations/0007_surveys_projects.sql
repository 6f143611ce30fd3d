-- Surveys and arrimage projects (issue 6).
--
-- survey (0002) keeps one row per answer; survey.score is the answer's
-- OVERALL item (the one the indicators arr.satisfaction_pap and
-- arr.satisfaction_familles read). The other items of an answer go to
-- survey_item. Item codes and their wording live in the code
-- (src/model/survey.c) and the translation catalogues.

-- One score per item of an answer (the overall item included).
CREATE TABLE survey_item (
    survey_id INTEGER NOT NULL REFERENCES survey (id) ON DELETE CASCADE,
    item      TEXT NOT NULL,
    score     INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    PRIMARY KEY (survey_id, item)
);

-- PAP survey campaigns: the windows (2 or 3 a year) in which the PAP of an
-- organisation are asked to answer, set by a manager or an administrator.
CREATE TABLE survey_campaign (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    opens           TEXT NOT NULL,
    closes          TEXT NOT NULL,
    created_by      INTEGER REFERENCES person (id),
    created_at      INTEGER NOT NULL,
    CHECK (closes >= opens)
);
CREATE INDEX survey_campaign_organisation ON survey_campaign (organisation_id, opens);

-- For the due reminder (a person's answers) and a project's results.
CREATE INDEX survey_by_person ON survey (person_id, type, date);
CREATE INDEX survey_by_project ON survey (project_id, date);
