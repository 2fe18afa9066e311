-- Moderation (issue 11): account states, hidden works and comments with
-- their reasons, and the append-only audit log of moderators' and admins'
-- actions.

-- suspended_until: Unix seconds; the account may not write before then
-- (0 = not suspended). banned: may not log in. moderation_reason: why.
ALTER TABLE users ADD COLUMN suspended_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN banned INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN moderation_reason TEXT NOT NULL DEFAULT '';

-- Why a work is hidden; hidden_by_ban marks works hidden with their
-- creator's ban, which an unban shows again.
ALTER TABLE works ADD COLUMN hidden_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE works ADD COLUMN hidden_by_ban INTEGER NOT NULL DEFAULT 0;

-- comments.hidden: 0 shown, 1 hidden by a moderator, 2 hidden with its
-- writer's ban. works.comments counts only shown ones.
ALTER TABLE comments ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;

DROP TRIGGER comments_count_insert;
DROP TRIGGER comments_count_delete;
DROP TRIGGER comments_count_update;
CREATE TRIGGER comments_count_insert AFTER INSERT ON comments WHEN NEW.approved = 1 AND NEW.deleted = 0 AND NEW.hidden = 0 BEGIN
    UPDATE works SET comments = comments + 1 WHERE id = NEW.work_id;
END;
CREATE TRIGGER comments_count_delete AFTER DELETE ON comments WHEN OLD.approved = 1 AND OLD.deleted = 0 AND OLD.hidden = 0 BEGIN
    UPDATE works SET comments = MAX(comments - 1, 0) WHERE id = OLD.work_id;
END;
CREATE TRIGGER comments_count_update AFTER UPDATE OF approved, deleted, hidden ON comments
WHEN (OLD.approved = 1 AND OLD.deleted = 0 AND OLD.hidden = 0) <> (NEW.approved = 1 AND NEW.deleted = 0 AND NEW.hidden = 0) BEGIN
    UPDATE works SET comments = MAX(comments + CASE WHEN NEW.approved = 1 AND NEW.deleted = 0 AND NEW.hidden = 0 THEN 1 ELSE -1 END, 0)
    WHERE id = NEW.work_id;
END;

-- The audit log: rows are only ever inserted. actor is the account name
-- (kept if the account goes); target names what was acted on, KIND:ID or
-- user:NAME.
CREATE TABLE audit_log (
    id     INTEGER PRIMARY KEY,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    at     INTEGER NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log(actor, id);
CREATE INDEX audit_log_action ON audit_log(action, id);
CREATE INDEX audit_log_target ON audit_log(target, id);

-- The inbox gains the notices moderators send a creator (work_hidden,
-- work_unhidden). SQLite cannot change a CHECK, so the table is rebuilt;
-- nothing references it.
CREATE TABLE inbox_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('work', 'chapter', 'comment', 'reply', 'work_hidden', 'work_unhidden')),
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

-- The audit log is append-only, whatever SQL runs against it.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
