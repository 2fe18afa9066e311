-- Creators' tools (issue 14).

-- Co-creator invitations: naming another account's pseud as a creator of a
-- work invites it; the byline (work_creators) gains the pseud only when its
-- owner accepts. One pending invitation per work and pseud. inviter is the
-- pseud name that sent it, as the invitee is shown it.
CREATE TABLE creator_invitations (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    work_id    INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    pseud_id   INTEGER NOT NULL REFERENCES pseuds(id) ON DELETE CASCADE,
    inviter    TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    UNIQUE (work_id, pseud_id)
);
CREATE INDEX creator_invitations_pseud ON creator_invitations(pseud_id);

-- Scheduled publication: a draft chapter (or a draft work) with publish_at
-- (Unix seconds, UTC) is published by the job runner at that time. A row
-- with publish_at set and draft = 0 was published and its subscribers'
-- notices are not yet confirmed sent; the runner clears publish_at after.
ALTER TABLE chapters ADD COLUMN publish_at INTEGER;
ALTER TABLE works ADD COLUMN publish_at INTEGER;
CREATE INDEX chapters_publish_at ON chapters(publish_at) WHERE publish_at IS NOT NULL;
CREATE INDEX works_publish_at ON works(publish_at) WHERE publish_at IS NOT NULL;

-- The inbox gains co-creator invitations. SQLite cannot change a CHECK, so
-- the table is rebuilt; nothing references it.
CREATE TABLE inbox_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('work', 'chapter', 'comment', 'reply', 'work_hidden', 'work_unhidden', 'creator_invitation')),
    work_id    INTEGER REFERENCES works(id) ON DELETE CASCADE,
    chapter_id INTEGER REFERENCES chapters(id) ON DELETE CASCADE,
    comment_id INTEGER REFERENCES comments(id) ON DELETE CASCADE,
    actor      TEXT NOT NULL DEFAULT '',
    work_title TEXT NOT NULL DEFAULT '',
    read       INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
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
