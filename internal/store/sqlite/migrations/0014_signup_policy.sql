-- Sign-up policy and spam defences (issue 11).

-- Site settings changed while the archive runs (/admin/settings): the
-- sign-up policy and the spam limits. The serve flags fill a key only when
-- it is absent, so what an admin set survives a restart.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Invitations. An admin sends one to an address at once (owner_id NULL);
-- an admin may also give a user unsent ones (owner_id, email '') to hand
-- on. The mailed token's hash is set when it is sent; it works once.
CREATE TABLE invitations (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id   INTEGER REFERENCES users(id) ON DELETE CASCADE,
    email      TEXT NOT NULL DEFAULT '',
    token_hash TEXT UNIQUE,
    created_at INTEGER NOT NULL,
    sent_at    INTEGER NOT NULL DEFAULT 0,
    used_at    INTEGER NOT NULL DEFAULT 0,
    used_by    INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX invitations_owner ON invitations(owner_id);

-- The queue of addresses asking for an invitation, served in id order.
CREATE TABLE invite_requests (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    email      TEXT NOT NULL,
    email_key  TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

-- Accounts made through the public sign-up form: the limits on new
-- accounts (--new-account-hours) apply to these only, not to accounts an
-- operator made on the command line or brought in an import.
CREATE TABLE self_signups (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE
);

-- An account with a row here has not yet followed its e-mail verification
-- link; the row goes when it does.
CREATE TABLE email_verifications (
    user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    expires_at INTEGER NOT NULL
);

-- Works held for a moderator's approval (--review-first-works): such a
-- work is not public until its row goes.
CREATE TABLE work_reviews (
    work_id    INTEGER PRIMARY KEY REFERENCES works(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
);
