-- Prompt memes (issue 12): a prompt meme's prompts are challenge_prompts
-- rows of kind 'prompt' (no sign-up). A claim is a participant's promise
-- to write for a prompt (many claims per prompt, one per user); work_id
-- is the work that fills it (posted to the collection by the claimer),
-- filled_at when it was named.
CREATE TABLE prompt_claims (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    prompt_id     INTEGER NOT NULL REFERENCES challenge_prompts(id) ON DELETE CASCADE,
    collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    work_id       INTEGER REFERENCES works(id) ON DELETE SET NULL,
    filled_at     INTEGER,
    created_at    INTEGER NOT NULL,
    UNIQUE (prompt_id, user_id)
);
CREATE INDEX prompt_claims_collection ON prompt_claims(collection_id, prompt_id);
CREATE INDEX prompt_claims_user ON prompt_claims(user_id, id);
CREATE INDEX prompt_claims_work ON prompt_claims(work_id);
