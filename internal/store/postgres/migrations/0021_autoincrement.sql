-- SQLite's 0021 makes its ids never go back, as PostgreSQL's sequences
-- always have; nothing to do here.
SELECT 1;
