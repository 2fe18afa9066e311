-- The change feed that keeps several nodes' listing indexes exact is
-- PostgreSQL's (postgres/migrations/0011_changes.sql): an SQLite archive
-- has one node, which updates its index in the request that writes.
SELECT 1;
