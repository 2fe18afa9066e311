-- Reading history: the last chapter a reader opened on each work, and Mark
-- for Later. The row goes with the work or the account.
CREATE TABLE readings (
    user_id         BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    work_id         BIGINT NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    chapter_id      BIGINT REFERENCES chapters(id) ON DELETE SET NULL,
    views           BIGINT NOT NULL DEFAULT 0,
    marked_for_later BIGINT NOT NULL DEFAULT 0,
    first_read_at   BIGINT NOT NULL,
    last_read_at    BIGINT NOT NULL,
    PRIMARY KEY (user_id, work_id)
);
CREATE INDEX readings_recent ON readings(user_id, last_read_at);
