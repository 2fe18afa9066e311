-- PostgreSQL's 0029 adds change-feed triggers for the work page's per-view
-- caches; one SQLite node forgets its caches as it writes, so nothing here.
SELECT 1;
