package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

const tagCols = `id, type, name, canonical, COALESCE(synonym_of, 0), media`

func scanTag(row interface{ Scan(...any) error }) (*archive.Tag, error) {
	var t archive.Tag
	var typ string
	if err := row.Scan(&t.ID, &typ, &t.Name, &t.Canonical, &t.SynonymOf, &t.Media); err != nil {
		return nil, err
	}
	t.Type = archive.TagType(typ)
	return &t, nil
}

// AllTags loads the whole vocabulary with its wrangling.
func (s *Store) AllTags(ctx context.Context) ([]store.TagRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+tagCols+` FROM tags ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("load tags: %w", err)
	}
	var out []store.TagRow
	pos := map[int64]int{}
	for rows.Next() {
		t, err := scanTag(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		pos[t.ID] = len(out)
		out = append(out, store.TagRow{Tag: *t})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, q := range []struct {
		sql    string
		parent bool
	}{{`SELECT sub_id, meta_id FROM tag_meta`, false}, {`SELECT tag_id, fandom_id FROM tag_parents`, true}} {
		rows, err := s.db.QueryContext(ctx, q.sql)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var a, b int64
			if err := rows.Scan(&a, &b); err != nil {
				rows.Close()
				return nil, err
			}
			if i, ok := pos[a]; ok {
				if q.parent {
					out[i].Parents = append(out[i].Parents, b)
				} else {
					out[i].Meta = append(out[i].Meta, b)
				}
			}
		}
		rows.Close()
	}
	return out, nil
}

func (s *Store) TagByName(ctx context.Context, t archive.TagType, name string) (*archive.Tag, error) {
	tag, err := scanTag(s.db.QueryRowContext(ctx, `SELECT `+tagCols+` FROM tags WHERE type = ? AND name_key = ?`, string(t), archive.TagKey(name)))
	if err != nil {
		return nil, notFound(err, "tag "+name)
	}
	return tag, nil
}

func (s *Store) TagsByName(ctx context.Context, name string) ([]archive.Tag, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+tagCols+` FROM tags WHERE name_key = ? ORDER BY id`, archive.TagKey(name))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []archive.Tag
	for rows.Next() {
		t, err := scanTag(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *t)
	}
	return out, rows.Err()
}

func (s *Store) TagByID(ctx context.Context, id int64) (*archive.Tag, error) {
	tag, err := scanTag(s.db.QueryRowContext(ctx, `SELECT `+tagCols+` FROM tags WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err, "tag")
	}
	return tag, nil
}

func (s *Store) EnsureTag(ctx context.Context, t archive.TagType, name string) (*archive.Tag, error) {
	var tag *archive.Tag
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		tag, err = ensureTag(ctx, tx, t, name)
		return err
	})
	return tag, err
}

func ensureTag(ctx context.Context, q queryer, t archive.TagType, name string) (*archive.Tag, error) {
	key := archive.TagKey(name)
	tag, err := scanTag(q.QueryRowContext(ctx, `SELECT `+tagCols+` FROM tags WHERE type = ? AND name_key = ?`, string(t), key))
	if err == nil {
		return tag, nil
	}
	if err != sql.ErrNoRows {
		return nil, fmt.Errorf("find tag %q: %w", name, err)
	}
	// The fixed vocabularies are canonical from the start.
	canonical := archive.FixedVocabulary(t) != nil
	tag = &archive.Tag{Type: t, Name: name, Canonical: canonical}
	// Another node may create the same tag at the same moment (PostgreSQL
	// lets writers run together): then its row is the tag.
	err = q.QueryRowContext(ctx, `INSERT INTO tags (type, name, name_key, canonical, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (type, name_key) DO NOTHING RETURNING id`,
		string(t), name, key, b2i(canonical), time.Now().Unix()).Scan(&tag.ID)
	if err == sql.ErrNoRows {
		tag, err = scanTag(q.QueryRowContext(ctx, `SELECT `+tagCols+` FROM tags WHERE type = ? AND name_key = ?`, string(t), key))
	}
	if err != nil {
		return nil, fmt.Errorf("create tag %q: %w", name, err)
	}
	return tag, nil
}

func (s *Store) exec(ctx context.Context, what, query string, args ...any) error {
	if _, err := s.db.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

func (s *Store) SetCanonical(ctx context.Context, id int64, canonical bool) error {
	return s.exec(ctx, "set canonical", `UPDATE tags SET canonical = ? WHERE id = ?`, b2i(canonical), id)
}

func (s *Store) SetSynonym(ctx context.Context, id int64, synonymOf int64) error {
	var target any
	if synonymOf != 0 {
		target = synonymOf
	}
	return s.exec(ctx, "set synonym", `UPDATE tags SET synonym_of = ? WHERE id = ?`, target, id)
}

func (s *Store) AddMeta(ctx context.Context, subID, metaID int64) error {
	return s.exec(ctx, "add meta", `INSERT INTO tag_meta (sub_id, meta_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, subID, metaID)
}

func (s *Store) RemoveMeta(ctx context.Context, subID, metaID int64) error {
	return s.exec(ctx, "remove meta", `DELETE FROM tag_meta WHERE sub_id = ? AND meta_id = ?`, subID, metaID)
}

func (s *Store) AddParent(ctx context.Context, tagID, fandomID int64) error {
	return s.exec(ctx, "add parent", `INSERT INTO tag_parents (tag_id, fandom_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, tagID, fandomID)
}

func (s *Store) RemoveParent(ctx context.Context, tagID, fandomID int64) error {
	return s.exec(ctx, "remove parent", `DELETE FROM tag_parents WHERE tag_id = ? AND fandom_id = ?`, tagID, fandomID)
}

// ImportTags applies tag specs in one transaction.
func (s *Store) ImportTags(ctx context.Context, specs []store.TagSpec) error {
	return s.tx(ctx, func(sqltx *sql.Tx) error {
		tx := newStmtCache(sqltx)
		defer tx.close()
		for _, sp := range specs {
			tag, err := ensureTag(ctx, tx, sp.Type, sp.Name)
			if err != nil {
				return err
			}
			var syn any
			if sp.SynonymOf != "" {
				target, err := ensureTag(ctx, tx, sp.Type, sp.SynonymOf)
				if err != nil {
					return err
				}
				syn = target.ID
			}
			if _, err := tx.ExecContext(ctx, `UPDATE tags SET canonical = ?, synonym_of = ? WHERE id = ?`, b2i(sp.Canonical || archive.FixedVocabulary(sp.Type) != nil), syn, tag.ID); err != nil {
				return fmt.Errorf("wrangle %q: %w", sp.Name, err)
			}
			for _, m := range sp.Meta {
				meta, err := ensureTag(ctx, tx, sp.Type, m)
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO tag_meta (sub_id, meta_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, tag.ID, meta.ID); err != nil {
					return err
				}
			}
			for _, p := range sp.Parents {
				parent, err := ensureTag(ctx, tx, archive.TypeFandom, p)
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO tag_parents (tag_id, fandom_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, tag.ID, parent.ID); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// SetTagMedia gives a fandom its medium ("" for none).
func (s *Store) SetTagMedia(ctx context.Context, id int64, media string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE tags SET media = ? WHERE id = ?`, media, id)
	if err != nil {
		return fmt.Errorf("set media of tag %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("tag %d: %w", id, archive.ErrNotFound)
	}
	return nil
}
