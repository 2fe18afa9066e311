-- The change feed for the work page's per-view caches (issue 17): each node
-- keeps chapters' comment threads and works' kudos givers. A written
-- comment names its chapter ("thread"), kudos their work ("kudos": the
-- works row's "counts" also moves with every batch of hits, too often to
-- forget kudos by); a renamed or deleted account or pseud, whose name
-- comments and kudos show, names everything ("names", ref 0).
CREATE FUNCTION quire_comment_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM quire_change('thread', OLD.chapter_id);
    ELSE
        PERFORM quire_change('thread', NEW.chapter_id);
        IF TG_OP = 'UPDATE' AND OLD.chapter_id <> NEW.chapter_id THEN
            PERFORM quire_change('thread', OLD.chapter_id);
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER comments_changed AFTER INSERT OR UPDATE OR DELETE ON comments
    FOR EACH ROW EXECUTE FUNCTION quire_comment_changed();

CREATE FUNCTION quire_kudos_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM quire_change('kudos', OLD.work_id);
    ELSE
        PERFORM quire_change('kudos', NEW.work_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER kudos_changed AFTER INSERT OR UPDATE OR DELETE ON kudos
    FOR EACH ROW EXECUTE FUNCTION quire_kudos_changed();

CREATE FUNCTION quire_names_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM quire_change('names', 0);
    RETURN NULL;
END $$;
CREATE TRIGGER users_names_changed AFTER UPDATE OF name OR DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION quire_names_changed();
CREATE TRIGGER pseuds_names_changed AFTER UPDATE OF name OR DELETE ON pseuds
    FOR EACH STATEMENT EXECUTE FUNCTION quire_names_changed();
