-- Quire schema, version 1. Times are Unix seconds (UTC); ids are 64-bit.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    name_key      TEXT NOT NULL UNIQUE,
    email         TEXT NOT NULL,
    email_key     TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL DEFAULT '',
    roles         TEXT NOT NULL DEFAULT '',
    preferences   TEXT NOT NULL DEFAULT '{}',
    created_at    INTEGER NOT NULL
);

CREATE TABLE pseuds (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER REFERENCES users(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL UNIQUE,
    is_default INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX pseuds_user ON pseuds(user_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name       TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);

CREATE TABLE tags (
    id         INTEGER PRIMARY KEY,
    type       TEXT NOT NULL,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL,
    canonical  INTEGER NOT NULL DEFAULT 0,
    synonym_of INTEGER REFERENCES tags(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (type, name_key)
);
CREATE INDEX tags_synonym ON tags(synonym_of);

CREATE TABLE tag_meta (
    sub_id  INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    meta_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (sub_id, meta_id)
);
CREATE INDEX tag_meta_meta ON tag_meta(meta_id);

CREATE TABLE tag_parents (
    tag_id    INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    fandom_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (tag_id, fandom_id)
);

CREATE TABLE works (
    id                 INTEGER PRIMARY KEY,
    title              TEXT NOT NULL,
    summary_src        TEXT NOT NULL DEFAULT '',
    summary_fmt        TEXT NOT NULL DEFAULT 'html',
    summary_html       TEXT NOT NULL DEFAULT '',
    notes_src          TEXT NOT NULL DEFAULT '',
    notes_fmt          TEXT NOT NULL DEFAULT 'html',
    notes_html         TEXT NOT NULL DEFAULT '',
    end_notes_src      TEXT NOT NULL DEFAULT '',
    end_notes_fmt      TEXT NOT NULL DEFAULT 'html',
    end_notes_html     TEXT NOT NULL DEFAULT '',
    language           TEXT NOT NULL DEFAULT 'en',
    chapters_posted    INTEGER NOT NULL DEFAULT 0,
    chapters_expected  INTEGER NOT NULL DEFAULT 0,
    words              INTEGER NOT NULL DEFAULT 0,
    draft              INTEGER NOT NULL DEFAULT 0,
    restricted         INTEGER NOT NULL DEFAULT 0,
    hidden             INTEGER NOT NULL DEFAULT 0,
    comment_permission TEXT NOT NULL DEFAULT 'registered',
    moderated_comments INTEGER NOT NULL DEFAULT 0,
    posted_at          INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    edited_at          INTEGER NOT NULL,
    created_at         INTEGER NOT NULL,
    hits               INTEGER NOT NULL DEFAULT 0,
    kudos              INTEGER NOT NULL DEFAULT 0,
    comments           INTEGER NOT NULL DEFAULT 0,
    bookmarks          INTEGER NOT NULL DEFAULT 0,
    title_sort         TEXT NOT NULL DEFAULT '',
    creator_sort       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX works_updated ON works(updated_at, id);
CREATE INDEX works_posted ON works(posted_at, id);

CREATE TABLE work_creators (
    work_id  INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    pseud_id INTEGER NOT NULL REFERENCES pseuds(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (work_id, pseud_id)
);
CREATE INDEX work_creators_pseud ON work_creators(pseud_id);

-- The tags a work carries, with the name exactly as the creator entered it.
CREATE TABLE work_tags (
    work_id  INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    tag_id   INTEGER NOT NULL REFERENCES tags(id),
    position INTEGER NOT NULL,
    entered  TEXT NOT NULL,
    PRIMARY KEY (work_id, tag_id)
);
CREATE INDEX work_tags_tag ON work_tags(tag_id, work_id);

CREATE TABLE chapters (
    id             INTEGER PRIMARY KEY,
    work_id        INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    title          TEXT NOT NULL DEFAULT '',
    summary_src    TEXT NOT NULL DEFAULT '',
    summary_fmt    TEXT NOT NULL DEFAULT 'html',
    summary_html   TEXT NOT NULL DEFAULT '',
    notes_src      TEXT NOT NULL DEFAULT '',
    notes_fmt      TEXT NOT NULL DEFAULT 'html',
    notes_html     TEXT NOT NULL DEFAULT '',
    end_notes_src  TEXT NOT NULL DEFAULT '',
    end_notes_fmt  TEXT NOT NULL DEFAULT 'html',
    end_notes_html TEXT NOT NULL DEFAULT '',
    body_src       TEXT NOT NULL,
    body_fmt       TEXT NOT NULL DEFAULT 'html',
    body_html      TEXT NOT NULL,
    words          INTEGER NOT NULL DEFAULT 0,
    draft          INTEGER NOT NULL DEFAULT 0,
    posted_at      INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX chapters_work ON chapters(work_id, position);

-- Durable background jobs (mail first). A job is claimed by setting
-- locked_until; a crashed worker's claim lapses and the job runs again.
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    run_at       INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    locked_until INTEGER NOT NULL DEFAULT 0,
    done_at      INTEGER,
    created_at   INTEGER NOT NULL
);
CREATE INDEX jobs_due ON jobs(done_at, run_at);

CREATE VIRTUAL TABLE works_fts USING fts5(title, summary, notes, creators, tags, body, tokenize = 'unicode61 remove_diacritics 2');
