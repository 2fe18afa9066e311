-- Kudos, comments, blocked users and daily hits (issue 4). No table holds an
-- IP address: guests and visitors are kept as salted hashes.

-- The salt for visitor hashes, made once per archive.
CREATE TABLE visitor_salt (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    salt TEXT NOT NULL
);
INSERT INTO visitor_salt (id, salt) VALUES (1, lower(hex(randomblob(32))));

-- One kudos per account (user_id) or per guest (guest_key: a hash of the
-- guest cookie and address) per work. A deleted account's kudos stay, as a
-- guest's without a key.
CREATE TABLE kudos (
    id         INTEGER PRIMARY KEY,
    work_id    INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    user_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    guest_key  TEXT,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX kudos_work_user ON kudos(work_id, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX kudos_work_guest ON kudos(work_id, guest_key) WHERE guest_key IS NOT NULL;

CREATE TRIGGER kudos_count_insert AFTER INSERT ON kudos BEGIN
    UPDATE works SET kudos = kudos + 1 WHERE id = NEW.work_id;
END;
CREATE TRIGGER kudos_count_delete AFTER DELETE ON kudos BEGIN
    UPDATE works SET kudos = MAX(kudos - 1, 0) WHERE id = OLD.work_id;
END;

-- Comments on chapters, threaded by parent_id. A comment by an account has
-- user_id and pseud_id; a guest's has guest_name and guest_email. A deleted
-- comment that has replies stays as a placeholder (deleted = 1, body gone).
CREATE TABLE comments (
    id           INTEGER PRIMARY KEY,
    work_id      INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    chapter_id   INTEGER NOT NULL REFERENCES chapters(id) ON DELETE CASCADE,
    parent_id    INTEGER REFERENCES comments(id) ON DELETE CASCADE,
    user_id      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    pseud_id     INTEGER REFERENCES pseuds(id) ON DELETE SET NULL,
    guest_name   TEXT NOT NULL DEFAULT '',
    guest_email  TEXT NOT NULL DEFAULT '',
    body_src     TEXT NOT NULL DEFAULT '',
    body_fmt     TEXT NOT NULL DEFAULT 'html',
    body_html    TEXT NOT NULL DEFAULT '',
    approved     INTEGER NOT NULL DEFAULT 1,
    frozen       INTEGER NOT NULL DEFAULT 0,
    deleted      INTEGER NOT NULL DEFAULT 0,
    address_hash TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    edited_at    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX comments_chapter ON comments(chapter_id, id);
CREATE INDEX comments_work ON comments(work_id);
CREATE INDEX comments_parent ON comments(parent_id);
CREATE INDEX comments_user_time ON comments(user_id, created_at);
CREATE INDEX comments_address_time ON comments(address_hash, created_at);

-- works.comments counts the comments readers see: approved, not deleted.
-- Triggers keep it right whatever removes comments (a chapter's deletion too).
CREATE TRIGGER comments_count_insert AFTER INSERT ON comments WHEN NEW.approved = 1 AND NEW.deleted = 0 BEGIN
    UPDATE works SET comments = comments + 1 WHERE id = NEW.work_id;
END;
CREATE TRIGGER comments_count_delete AFTER DELETE ON comments WHEN OLD.approved = 1 AND OLD.deleted = 0 BEGIN
    UPDATE works SET comments = MAX(comments - 1, 0) WHERE id = OLD.work_id;
END;
CREATE TRIGGER comments_count_update AFTER UPDATE OF approved, deleted ON comments
WHEN (OLD.approved = 1 AND OLD.deleted = 0) <> (NEW.approved = 1 AND NEW.deleted = 0) BEGIN
    UPDATE works SET comments = MAX(comments + CASE WHEN NEW.approved = 1 AND NEW.deleted = 0 THEN 1 ELSE -1 END, 0)
    WHERE id = NEW.work_id;
END;

-- A blocked user may not comment on, reply to or kudos the blocker's works.
CREATE TABLE blocks (
    blocker_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    blocked_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
);
CREATE INDEX blocks_blocked ON blocks(blocked_id);

-- One hit per visitor per work per day: visitor is a salted hash that
-- includes the day, so days can't be linked; old days are pruned.
CREATE TABLE hits (
    work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    day     INTEGER NOT NULL,
    visitor TEXT NOT NULL,
    PRIMARY KEY (work_id, day, visitor)
) WITHOUT ROWID;
CREATE INDEX hits_day ON hits(day);
