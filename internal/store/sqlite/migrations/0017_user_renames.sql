-- Renamed accounts (issue 14): each old name of an account, which redirects
-- to it (/users/{old}…) and is held for it a while (site.RenameHold) so
-- nobody else takes it at once. Renaming back to an old name drops its row.
CREATE TABLE user_renames (
    old_key    TEXT PRIMARY KEY,
    old_name   TEXT NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    renamed_at INTEGER NOT NULL
);
CREATE INDEX user_renames_user ON user_renames(user_id, renamed_at);
