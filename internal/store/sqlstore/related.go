package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"quire/internal/archive"
	"quire/internal/store"
)

// Related works: the links from a work to those it is inspired by,
// translates or remixes (store.RelatedWorks).

const relatedCols = `child_id, position, COALESCE(parent_id, 0), url, title, creator, kind, state, created_at, updated_at`

func scanRelated(rows *sql.Rows) ([]archive.RelatedWork, error) {
	defer rows.Close()
	var out []archive.RelatedWork
	for rows.Next() {
		var r archive.RelatedWork
		var created, updated int64
		if err := rows.Scan(&r.ChildID, &r.Position, &r.ParentID, &r.URL, &r.Title, &r.Creator, &r.Kind, &r.State, &created, &updated); err != nil {
			return nil, err
		}
		r.CreatedAt, r.UpdatedAt = fromUnix(created), fromUnix(updated)
		out = append(out, r)
	}
	return out, rows.Err()
}

func (s *Store) SetRelatedWorks(ctx context.Context, childID int64, links []archive.RelatedWork) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+relatedCols+` FROM related_works WHERE child_id = ? AND parent_id IS NOT NULL`, childID)
		if err != nil {
			return fmt.Errorf("related works of %d: %w", childID, err)
		}
		old, err := scanRelated(rows)
		if err != nil {
			return err
		}
		before := map[int64]archive.RelatedWork{}
		for _, r := range old {
			before[r.ParentID] = r
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM related_works WHERE child_id = ?`, childID); err != nil {
			return fmt.Errorf("clear related works: %w", err)
		}
		now := unix(nowUTC())
		for i, r := range links {
			created, updated := now, now
			if o, ok := before[r.ParentID]; ok && r.ParentID != 0 {
				r.State, created, updated = o.State, unix(o.CreatedAt), unix(o.UpdatedAt)
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO related_works (child_id, position, parent_id, url, title, creator, kind, state, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, childID, i+1, nullID(r.ParentID), r.URL, r.Title, r.Creator, r.Kind, r.State, created, updated)
			if isForeignKey(err) {
				return fmt.Errorf("related work %d: %w", r.ParentID, archive.ErrNotFound)
			}
			if err != nil {
				return fmt.Errorf("add related work: %w", err)
			}
		}
		return nil
	})
}

func (s *Store) RelatedParents(ctx context.Context, childID int64) ([]archive.RelatedWork, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+relatedCols+` FROM related_works WHERE child_id = ? ORDER BY position`, childID)
	if err != nil {
		return nil, fmt.Errorf("related works of %d: %w", childID, err)
	}
	return scanRelated(rows)
}

func (s *Store) RelatedChildren(ctx context.Context, parentID int64, state string) ([]archive.RelatedWork, error) {
	where, args := `parent_id = ?`, []any{parentID}
	if state != "" {
		where += ` AND state = ?`
		args = append(args, state)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+relatedCols+` FROM related_works WHERE `+where+` ORDER BY created_at, child_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("works related to %d: %w", parentID, err)
	}
	return scanRelated(rows)
}

func (s *Store) UserRelatedLinks(ctx context.Context, userID int64, state string) ([]archive.RelatedWork, error) {
	where, args := `parent_id IN (SELECT wc.work_id FROM work_creators wc JOIN pseuds p ON p.id = wc.pseud_id WHERE p.user_id = ?)`, []any{userID}
	if state != "" {
		where += ` AND state = ?`
		args = append(args, state)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+relatedCols+` FROM related_works WHERE `+where+` ORDER BY created_at DESC, child_id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("related links of user %d: %w", userID, err)
	}
	return scanRelated(rows)
}

func (s *Store) SetRelatedState(ctx context.Context, parentID, childID int64, state string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE related_works SET state = ?, updated_at = ? WHERE parent_id = ? AND child_id = ?`,
		state, unix(nowUTC()), parentID, childID)
	return affected(res, err, fmt.Sprintf("link from work %d to work %d", childID, parentID))
}

// dumpRelatedWorks streams every link by child and position.
func dumpRelatedWorks(ctx context.Context, q queryer, fn func(store.DumpRecord) error) error {
	rows, err := q.QueryContext(ctx, `SELECT `+relatedCols+` FROM related_works ORDER BY child_id, position`)
	if err != nil {
		return fmt.Errorf("export related works: %w", err)
	}
	links, err := scanRelated(rows)
	if err != nil {
		return fmt.Errorf("export related works: %w", err)
	}
	for i := range links {
		if err := fn(store.DumpRecord{RelatedWork: &store.DumpRelatedWork{RelatedWork: links[i]}}); err != nil {
			return err
		}
	}
	return nil
}

// PutRelatedWork inserts one link as exported.
func (d *dumpWriter) PutRelatedWork(ctx context.Context, r *store.DumpRelatedWork) error {
	_, err := d.q.ExecContext(ctx, `INSERT INTO related_works (child_id, position, parent_id, url, title, creator, kind, state, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.ChildID, r.Position, nullID(r.ParentID), r.URL, r.Title, r.Creator, r.Kind, r.State,
		unix(r.CreatedAt), unix(r.UpdatedAt))
	if isUnique(err) {
		return conflict("work %d names related work %d (or position %d) twice", r.ChildID, r.ParentID, r.Position)
	}
	if isForeignKey(err) {
		return archive.Invalid("work_id", "work %d or %d is not earlier in the file", r.ChildID, r.ParentID)
	}
	if err != nil {
		return fmt.Errorf("insert related work: %w", err)
	}
	return nil
}
