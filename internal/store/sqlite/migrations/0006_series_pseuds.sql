-- Series (issue 4). A series has creators (pseuds, like a work's byline)
-- and an ordered list of works; a work may be in several series. Positions
-- are kept 1..n without gaps by the store.
CREATE TABLE series (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    title        TEXT NOT NULL,
    summary_src  TEXT NOT NULL DEFAULT '',
    summary_fmt  TEXT NOT NULL DEFAULT 'html',
    summary_html TEXT NOT NULL DEFAULT '',
    notes_src    TEXT NOT NULL DEFAULT '',
    notes_fmt    TEXT NOT NULL DEFAULT 'html',
    notes_html   TEXT NOT NULL DEFAULT '',
    complete     INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);

-- A series' creators. A deleted pseud (or account) leaves the series; a
-- deleted pseud's credits move to the default pseud first (the store does).
CREATE TABLE series_creators (
    series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
    pseud_id  INTEGER NOT NULL REFERENCES pseuds(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    PRIMARY KEY (series_id, pseud_id)
);
CREATE INDEX series_creators_pseud ON series_creators(pseud_id);

CREATE TABLE series_works (
    series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
    work_id   INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    PRIMARY KEY (series_id, work_id)
);
CREATE INDEX series_works_work ON series_works(work_id);
CREATE INDEX series_works_order ON series_works(series_id, position);

-- A work leaving a series (a deleted work included) closes the gap.
CREATE TRIGGER series_works_gap AFTER DELETE ON series_works BEGIN
    UPDATE series_works SET position = position - 1
    WHERE series_id = OLD.series_id AND position > OLD.position;
END;

-- Subscriptions to a deleted series go with it (as 0005 does for works).
CREATE TRIGGER subscriptions_series_deleted AFTER DELETE ON series BEGIN
    DELETE FROM subscriptions WHERE kind = 'series' AND target = OLD.id;
END;
