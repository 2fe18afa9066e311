-- Profiles (issues 13 and 14): an account's bio, rich text kept as the
-- creator wrote it (src, fmt) beside its sanitized HTML. One row per account
-- that wrote a bio; none for the rest.
CREATE TABLE user_profiles (
    user_id  BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    bio_src  TEXT NOT NULL,
    bio_fmt  TEXT NOT NULL,
    bio_html TEXT NOT NULL
);
