-- Bookmarks of series (issue 4) and private feed tokens (issue 5).

-- A bookmark is of a work (kind 'work', work_id) or of a series (kind
-- 'series', series_id). Like a work's, a series bookmark outlives its
-- series: deleting the series clears series_id and series_title keeps the
-- name it last had.
ALTER TABLE bookmarks ADD COLUMN kind TEXT NOT NULL DEFAULT 'work';
ALTER TABLE bookmarks ADD COLUMN series_id BIGINT REFERENCES series(id) ON DELETE SET NULL;
ALTER TABLE bookmarks ADD COLUMN series_title TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX bookmarks_user_series ON bookmarks(user_id, series_id);
CREATE INDEX bookmarks_series ON bookmarks(series_id);

CREATE FUNCTION quire_bookmarks_series_title() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE bookmarks SET series_title = NEW.title WHERE series_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER bookmarks_series_title AFTER UPDATE OF title ON series
    FOR EACH ROW EXECUTE FUNCTION quire_bookmarks_series_title();

-- One secret feed token per reader: feed URLs carrying it show the archive
-- as that reader sees it (restricted works, their mutes). Kept in the clear
-- because the reader's page shows it; regenerating replaces it.
CREATE TABLE feed_tokens (
    user_id    BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    token      TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
