-- The change feed (issue 6). Every committed write that a node's in-memory
-- listing index or caches depend on leaves a row here, written by triggers
-- in the same transaction, and a NOTIFY on channel quire_changes at commit.
-- A row names what changed, not how: nodes re-read the absolute state of
-- that work, counter set, user's mutes or the tag graph, so applying a row
-- twice is harmless. xid is the writing transaction's id: a node reads the
-- rows of every transaction not yet finished at its previous read, so a row
-- whose id was taken early but committed late is never skipped.
CREATE TABLE changes (
    id   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    xid  xid8 NOT NULL DEFAULT pg_current_xact_id(),
    kind TEXT NOT NULL,   -- work, counts, graph, mutes
    ref  BIGINT NOT NULL DEFAULT 0,
    at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX changes_xid ON changes(xid);
CREATE INDEX changes_at ON changes(at);

CREATE FUNCTION quire_change(kind TEXT, ref BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO changes (kind, ref) VALUES (kind, ref);
    PERFORM pg_notify('quire_changes', '');
END $$;

-- A work's row: only its counters moved (hits, kudos, comments, bookmarks
-- are bumped on every read or kudos), or anything else.
CREATE FUNCTION quire_works_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM quire_change('work', OLD.id);
    ELSIF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - 'hits' - 'kudos' - 'comments' - 'bookmarks')
                             = (to_jsonb(OLD) - 'hits' - 'kudos' - 'comments' - 'bookmarks') THEN
        PERFORM quire_change('counts', NEW.id);
    ELSE
        PERFORM quire_change('work', NEW.id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER works_changed AFTER INSERT OR UPDATE OR DELETE ON works
    FOR EACH ROW EXECUTE FUNCTION quire_works_changed();

-- Rows that hang off a work: the work changed.
CREATE FUNCTION quire_work_part_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM quire_change('work', OLD.work_id);
    ELSE
        PERFORM quire_change('work', NEW.work_id);
        IF TG_OP = 'UPDATE' AND OLD.work_id <> NEW.work_id THEN
            PERFORM quire_change('work', OLD.work_id);
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER work_tags_changed AFTER INSERT OR UPDATE OR DELETE ON work_tags
    FOR EACH ROW EXECUTE FUNCTION quire_work_part_changed();
CREATE TRIGGER work_creators_changed AFTER INSERT OR UPDATE OR DELETE ON work_creators
    FOR EACH ROW EXECUTE FUNCTION quire_work_part_changed();
CREATE TRIGGER chapters_changed AFTER INSERT OR UPDATE OR DELETE ON chapters
    FOR EACH ROW EXECUTE FUNCTION quire_work_part_changed();
CREATE TRIGGER series_works_changed AFTER INSERT OR UPDATE OR DELETE ON series_works
    FOR EACH ROW EXECUTE FUNCTION quire_work_part_changed();

-- A renamed pseud changes the bylines of its works.
CREATE FUNCTION quire_pseud_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO changes (kind, ref) SELECT 'work', work_id FROM work_creators WHERE pseud_id = NEW.id;
    PERFORM pg_notify('quire_changes', '');
    RETURN NULL;
END $$;
CREATE TRIGGER pseuds_changed AFTER UPDATE OF name ON pseuds
    FOR EACH ROW EXECUTE FUNCTION quire_pseud_changed();

-- Tags and wrangling: the graph is reloaded once per statement.
CREATE FUNCTION quire_graph_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM quire_change('graph', 0);
    RETURN NULL;
END $$;
CREATE TRIGGER tags_changed AFTER INSERT OR UPDATE OR DELETE ON tags
    FOR EACH STATEMENT EXECUTE FUNCTION quire_graph_changed();
CREATE TRIGGER tag_meta_changed AFTER INSERT OR UPDATE OR DELETE ON tag_meta
    FOR EACH STATEMENT EXECUTE FUNCTION quire_graph_changed();
CREATE TRIGGER tag_parents_changed AFTER INSERT OR UPDATE OR DELETE ON tag_parents
    FOR EACH STATEMENT EXECUTE FUNCTION quire_graph_changed();

-- A reader's mutes, cached per node.
CREATE FUNCTION quire_mutes_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM quire_change('mutes', OLD.user_id);
    ELSE
        PERFORM quire_change('mutes', NEW.user_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER muted_tags_changed AFTER INSERT OR UPDATE OR DELETE ON muted_tags
    FOR EACH ROW EXECUTE FUNCTION quire_mutes_changed();
CREATE TRIGGER muted_users_changed AFTER INSERT OR UPDATE OR DELETE ON muted_users
    FOR EACH ROW EXECUTE FUNCTION quire_mutes_changed();
