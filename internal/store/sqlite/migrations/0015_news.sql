-- News posts by admins, readers' comments on them, and the site banner
-- (issue 11). A post and a comment outlive their writer's account.
CREATE TABLE admin_posts (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    title      TEXT NOT NULL,
    body_src   TEXT NOT NULL,
    body_fmt   TEXT NOT NULL DEFAULT 'html',
    body_html  TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX admin_posts_created ON admin_posts(created_at, id);

CREATE TABLE admin_post_comments (
    id         INTEGER PRIMARY KEY,
    post_id    INTEGER NOT NULL REFERENCES admin_posts(id) ON DELETE CASCADE,
    user_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    body_src   TEXT NOT NULL,
    body_fmt   TEXT NOT NULL DEFAULT 'html',
    body_html  TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX admin_post_comments_post ON admin_post_comments(post_id, id);
CREATE INDEX admin_post_comments_user_time ON admin_post_comments(user_id, created_at);

-- One row at most. version only grows (an emptied banner keeps its row), so
-- a reader's dismissal of an old banner never hides a new one.
CREATE TABLE site_banner (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    version    INTEGER NOT NULL,
    body_src   TEXT NOT NULL,
    body_fmt   TEXT NOT NULL DEFAULT 'html',
    body_html  TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
