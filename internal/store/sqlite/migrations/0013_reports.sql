-- Readers' reports and the moderators' queue (issue 11). A report names
-- its target by kind and id (target_name: a reported account's name at
-- report time); the target has no foreign key, since the report and its
-- snapshot (JSON: what the target said when it was reported) outlive it.
-- A guest reporter is kept as a salted address hash (address_hash, '' for
-- accounts) and the e-mail they gave, if any. One open report per reporter
-- and target: the two partial unique indexes.
CREATE TABLE reports (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    target_kind    TEXT NOT NULL CHECK (target_kind IN ('work', 'chapter', 'comment', 'user', 'series', 'bookmark')),
    target_id      INTEGER NOT NULL DEFAULT 0,
    target_name    TEXT NOT NULL DEFAULT '',
    reason         TEXT NOT NULL,
    details        TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'resolved', 'dismissed')),
    snapshot       TEXT NOT NULL DEFAULT '{}',
    reporter_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    reporter_email TEXT NOT NULL DEFAULT '',
    address_hash   TEXT NOT NULL DEFAULT '',
    assignee_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE UNIQUE INDEX reports_open_by_user ON reports(reporter_id, target_kind, target_id, target_name)
    WHERE state = 'open' AND reporter_id IS NOT NULL;
CREATE UNIQUE INDEX reports_open_by_guest ON reports(address_hash, target_kind, target_id, target_name)
    WHERE state = 'open' AND reporter_id IS NULL AND address_hash <> '';
CREATE INDEX reports_state ON reports(state, id);
CREATE INDEX reports_target ON reports(target_kind, target_id);
CREATE INDEX reports_reporter_time ON reports(reporter_id, created_at);
CREATE INDEX reports_address_time ON reports(address_hash, created_at);
CREATE INDEX reports_assignee ON reports(assignee_id);

-- Moderators' notes on a report, in order; author_name keeps the name if
-- the account goes.
CREATE TABLE report_notes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id   INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    author_id   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    author_name TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX report_notes_report ON report_notes(report_id, id);
CREATE INDEX report_notes_author ON report_notes(author_id);
