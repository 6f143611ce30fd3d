-- PostgreSQL twin of db/migrations/0008_stories_gaps.sql: the same schema in PostgreSQL's types.
-- Stories, service gaps, presentations (issues 5, 6). The tables exist
-- since 0002; these indexes serve the lists by author, by territory and
-- period, and the report's counts per tag.
CREATE INDEX story_author_date ON story (author_id, date);
CREATE INDEX story_territory_date ON story (territory_id, date);
CREATE INDEX story_selected_date ON story (selected, date);
CREATE INDEX story_tag_code ON story_tag (kind, code);
CREATE INDEX service_gap_author ON service_gap (author_id, date);
