-- Related works (issue 12): the works a work (child_id) names as inspired
-- by, translated from or remixed from: a work here (parent_id) or one
-- elsewhere (url, title, creator). A link to a work here waits for the
-- parent's creators (pending), who approve or reject it; a rejected link
-- keeps its row so naming it again does not ask again.
CREATE TABLE related_works (
    child_id   INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    parent_id  INTEGER REFERENCES works(id) ON DELETE CASCADE,
    url        TEXT NOT NULL DEFAULT '',
    title      TEXT NOT NULL DEFAULT '',
    creator    TEXT NOT NULL DEFAULT '',
    kind       TEXT NOT NULL CHECK (kind IN ('inspired_by', 'translation', 'remix')),
    state      TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (child_id, position)
);
CREATE UNIQUE INDEX related_works_pair ON related_works(child_id, parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX related_works_parent ON related_works(parent_id, state);
