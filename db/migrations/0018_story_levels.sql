-- Most Significant Change by levels (issue 16): a story is selected per
-- level (the organisation's manager, then the territory's committee, which
-- selects from what the organisation selected), each level with its own
-- reason. story_selection holds the choices in force; story_selection_event
-- keeps how they came to be (who, when, why; de-selections included).
-- Portable SQL (SQLite and PostgreSQL).
CREATE TABLE story_selection (
    story_id    INTEGER NOT NULL REFERENCES story (id) ON DELETE CASCADE,
    level       TEXT NOT NULL CHECK (level IN ('organisation', 'territoire')),
    reason      TEXT NOT NULL,
    selected_by INTEGER REFERENCES person (id),
    selected_at INTEGER NOT NULL,
    PRIMARY KEY (story_id, level)
);
CREATE INDEX story_selection_level ON story_selection (level, story_id);

CREATE TABLE story_selection_event (
    id        INTEGER PRIMARY KEY,
    story_id  INTEGER NOT NULL REFERENCES story (id) ON DELETE CASCADE,
    level     TEXT NOT NULL CHECK (level IN ('organisation', 'territoire')),
    selected  INTEGER NOT NULL CHECK (selected IN (0, 1)),
    reason    TEXT,
    person_id INTEGER REFERENCES person (id),
    at        INTEGER NOT NULL
);
CREATE INDEX story_selection_event_story ON story_selection_event (story_id, id);

-- The one shared flag becomes the organisation's choice: managers made
-- most of them, and a committee's choice of a story its organisation had
-- not selected could not be told apart.
INSERT INTO story_selection (story_id, level, reason, selected_by, selected_at)
    SELECT id, 'organisation', coalesce(selection_reason, ''), selected_by,
           coalesce(selected_at, 0)
    FROM story WHERE selected = 1;
INSERT INTO story_selection_event (story_id, level, selected, reason, person_id, at)
    SELECT story_id, level, 1, reason, selected_by, selected_at FROM story_selection;

-- The old columns are no longer read or written (SQLite cannot drop a
-- column a foreign key names): emptied, so nothing holds a second copy.
DROP INDEX story_selected_date;
UPDATE story SET selected = 0, selection_reason = NULL, selected_by = NULL, selected_at = NULL;

-- The territory portrait's indicators carry an English label too (issue 16,
-- as sectors do since 0013): shown when the reader's language is English
-- and the label was given.
ALTER TABLE portrait ADD COLUMN label_en TEXT;
