-- PostgreSQL's 0022 makes its names sort by their bytes, as SQLite's
-- always have; nothing to do here.
SELECT 1;
