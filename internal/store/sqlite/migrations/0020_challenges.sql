-- Challenges (issue 12): a collection may run a gift exchange or a prompt
-- meme. The challenge row holds the sign-up window and, in settings, the
-- maintainers' rules as JSON (requests and offers per sign-up, per tag type
-- how many tags and whether "any" is allowed and how offers match
-- requests, the tag set); archive.ChallengeSettings reads it.
-- matched_at is set when matching ran, sent_at when assignments went out.
CREATE TABLE challenges (
    collection_id    INTEGER PRIMARY KEY REFERENCES collections(id) ON DELETE CASCADE,
    kind             TEXT NOT NULL CHECK (kind IN ('gift_exchange', 'prompt_meme')),
    signups_open_at  INTEGER,
    signups_close_at INTEGER,
    settings         TEXT NOT NULL DEFAULT '{}',
    matched_at       INTEGER,
    sent_at          INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);

-- One participant's sign-up to a challenge.
CREATE TABLE challenge_signups (
    id            INTEGER PRIMARY KEY,
    collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (collection_id, user_id)
);
CREATE INDEX challenge_signups_user ON challenge_signups(user_id);

-- A prompt: a sign-up's request or offer (signup_id set), or a prompt
-- meme's prompt (kind 'prompt'; signup_id may be NULL). any_types names
-- the tag types the prompt leaves open ("any"), space-separated.
CREATE TABLE challenge_prompts (
    id            INTEGER PRIMARY KEY,
    collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    signup_id     INTEGER REFERENCES challenge_signups(id) ON DELETE CASCADE,
    user_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('request', 'offer', 'prompt')),
    position      INTEGER NOT NULL DEFAULT 0,
    title         TEXT NOT NULL DEFAULT '',
    details_src   TEXT NOT NULL DEFAULT '',
    details_fmt   TEXT NOT NULL DEFAULT 'html',
    details_html  TEXT NOT NULL DEFAULT '',
    url           TEXT NOT NULL DEFAULT '',
    any_types     TEXT NOT NULL DEFAULT '',
    anonymous     INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX challenge_prompts_collection ON challenge_prompts(collection_id, kind, id);
CREATE INDEX challenge_prompts_signup ON challenge_prompts(signup_id, kind, position);
CREATE INDEX challenge_prompts_user ON challenge_prompts(user_id);

-- A prompt's tags by type, as entered (name_key: lower-cased, for
-- matching and filtering).
CREATE TABLE challenge_prompt_tags (
    prompt_id INTEGER NOT NULL REFERENCES challenge_prompts(id) ON DELETE CASCADE,
    type      TEXT NOT NULL,
    position  INTEGER NOT NULL,
    name      TEXT NOT NULL,
    name_key  TEXT NOT NULL,
    PRIMARY KEY (prompt_id, type, position)
);
CREATE INDEX challenge_prompt_tags_key ON challenge_prompt_tags(type, name_key);

-- A gift exchange's assignment: giver writes for recipient (their
-- request_id, the request the giver's offer matched). giver_id NULL: no
-- giver yet (a pinch-hit is needed). pinch_hit: the giver was set by a
-- maintainer after matching. fulfilled_work_id: the gift work posted to
-- the collection.
CREATE TABLE challenge_assignments (
    id                INTEGER PRIMARY KEY,
    collection_id     INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    recipient_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    giver_id          INTEGER REFERENCES users(id) ON DELETE SET NULL,
    request_id        INTEGER REFERENCES challenge_prompts(id) ON DELETE SET NULL,
    pinch_hit         INTEGER NOT NULL DEFAULT 0,
    sent_at           INTEGER,
    defaulted_at      INTEGER,
    fulfilled_work_id INTEGER REFERENCES works(id) ON DELETE SET NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    UNIQUE (collection_id, recipient_id)
);
CREATE INDEX challenge_assignments_giver ON challenge_assignments(giver_id);
CREATE INDEX challenge_assignments_work ON challenge_assignments(fulfilled_work_id);

-- The inbox names a collection for challenge notices (an assignment, and
-- what prompt memes add). Its kind is no longer a CHECK: every new notice
-- kind cost a table rebuild; store.Inbox* constants are the list. SQLite
-- cannot drop a CHECK, so the table is rebuilt; nothing references it.
CREATE TABLE inbox_new (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    work_id       INTEGER REFERENCES works(id) ON DELETE CASCADE,
    chapter_id    INTEGER REFERENCES chapters(id) ON DELETE CASCADE,
    comment_id    INTEGER REFERENCES comments(id) ON DELETE CASCADE,
    actor         TEXT NOT NULL DEFAULT '',
    work_title    TEXT NOT NULL DEFAULT '',
    read          INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    collection_id INTEGER REFERENCES collections(id) ON DELETE CASCADE
);
INSERT INTO inbox_new (id, user_id, kind, work_id, chapter_id, comment_id, actor, work_title, read, created_at)
    SELECT id, user_id, kind, work_id, chapter_id, comment_id, actor, work_title, read, created_at FROM inbox;
DROP TABLE inbox;
ALTER TABLE inbox_new RENAME TO inbox;
CREATE INDEX inbox_user ON inbox(user_id, id);
CREATE INDEX inbox_user_unread ON inbox(user_id) WHERE read = 0;
CREATE INDEX inbox_work ON inbox(work_id);
CREATE INDEX inbox_chapter ON inbox(chapter_id);
CREATE INDEX inbox_comment ON inbox(comment_id);
CREATE INDEX inbox_collection ON inbox(collection_id);
