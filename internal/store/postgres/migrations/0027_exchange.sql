-- Gift exchanges' remaining parts (issue 12): an assignment names the
-- giver's offer that satisfies the recipient's request; an exchange's
-- pinch-hit volunteers.
ALTER TABLE challenge_assignments ADD COLUMN offer_id BIGINT REFERENCES challenge_prompts(id) ON DELETE SET NULL;
CREATE TABLE challenge_pinch_hitters (
    collection_id BIGINT NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    user_id       BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (collection_id, user_id)
);
