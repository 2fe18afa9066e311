-- Saved searches (issue 13): a reader's listing parameters under a name,
-- each with its own secret feed token, and the digests sent of them. A
-- digest row is written in the same transaction as the mail job it queues,
-- and its key (reader, period) is what makes a digest go out once per
-- period however many nodes try.
CREATE TABLE saved_searches (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    params       TEXT NOT NULL,
    is_default   INTEGER NOT NULL DEFAULT 0,
    digest       TEXT NOT NULL DEFAULT 'off',
    digest_since INTEGER NOT NULL DEFAULT 0,
    feed_token   TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX saved_searches_user ON saved_searches(user_id, id);
CREATE UNIQUE INDEX saved_searches_default ON saved_searches(user_id) WHERE is_default = 1;
CREATE INDEX saved_searches_digest ON saved_searches(digest, user_id) WHERE digest <> 'off';

CREATE TABLE digest_sends (
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    period    TEXT NOT NULL,
    frequency TEXT NOT NULL,
    sent_at   INTEGER NOT NULL,
    works     INTEGER NOT NULL,
    PRIMARY KEY (user_id, period)
);
CREATE INDEX digest_sends_last ON digest_sends(user_id, frequency, sent_at);
