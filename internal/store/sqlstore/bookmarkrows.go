package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"quire/internal/archive"
	"quire/internal/store"
)

const bookmarkRowCols = `b.id, b.user_id, COALESCE(b.work_id, 0), CASE WHEN b.private <> 0 OR u.banned <> 0 THEN 1 ELSE 0 END, b.rec, b.created_at`

func scanBookmarkRow(rows *sql.Rows) (store.BookmarkRow, error) {
	var r store.BookmarkRow
	var private, rec int
	err := rows.Scan(&r.ID, &r.UserID, &r.WorkID, &private, &rec, &r.CreatedAt)
	r.Private, r.Rec = private != 0, rec != 0
	return r, err
}

// BookmarkRows streams every work bookmark in id order with its tags.
func (s *Store) BookmarkRows(ctx context.Context, fn func(store.BookmarkRow) error) error {
	tags, err := s.db.QueryContext(ctx, `SELECT t.bookmark_id, t.name FROM bookmark_tags t JOIN bookmarks b ON b.id = t.bookmark_id
		WHERE b.kind = 'work' ORDER BY t.bookmark_id, t.position`)
	if err != nil {
		return fmt.Errorf("index bookmark tags: %w", err)
	}
	defer tags.Close()
	rows, err := s.db.QueryContext(ctx, `SELECT `+bookmarkRowCols+` FROM bookmarks b JOIN users u ON u.id = b.user_id
		WHERE b.kind = 'work' ORDER BY b.id`)
	if err != nil {
		return fmt.Errorf("index bookmarks: %w", err)
	}
	defer rows.Close()
	var tagID int64
	var tagName string
	pending, done := false, false
	for rows.Next() {
		r, err := scanBookmarkRow(rows)
		if err != nil {
			return fmt.Errorf("index bookmarks: %w", err)
		}
		for {
			if !pending && !done {
				if tags.Next() {
					if err := tags.Scan(&tagID, &tagName); err != nil {
						return fmt.Errorf("index bookmark tags: %w", err)
					}
					pending = true
				} else {
					done = true
					if err := tags.Err(); err != nil {
						return fmt.Errorf("index bookmark tags: %w", err)
					}
				}
			}
			if done || tagID > r.ID {
				break
			}
			if tagID == r.ID {
				r.Tags = append(r.Tags, tagName)
			}
			pending = false
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("index bookmarks: %w", err)
	}
	return nil
}

// BookmarkRowsOf lists the work bookmarks of one work or one user.
func (s *Store) BookmarkRowsOf(ctx context.Context, id int64, byUser bool) ([]store.BookmarkRow, error) {
	where := `b.work_id = ?`
	if byUser {
		where = `b.user_id = ?`
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+bookmarkRowCols+` FROM bookmarks b JOIN users u ON u.id = b.user_id
		WHERE b.kind = 'work' AND `+where+` ORDER BY b.id`, id)
	if err != nil {
		return nil, fmt.Errorf("bookmark rows: %w", err)
	}
	var out []store.BookmarkRow
	for rows.Next() {
		r, err := scanBookmarkRow(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("bookmark rows: %w", err)
		}
		out = append(out, r)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, fmt.Errorf("bookmark rows: %w", err)
	}
	byID := map[int64]int{}
	ids := make([]int64, 0, len(out))
	for i, r := range out {
		byID[r.ID] = i
		ids = append(ids, r.ID)
	}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		chunk := ids[:n]
		ids = ids[n:]
		rows, err := s.db.QueryContext(ctx, `SELECT bookmark_id, name FROM bookmark_tags WHERE bookmark_id IN (`+placeholders(len(chunk))+`) ORDER BY bookmark_id, position`, int64Args(chunk)...)
		if err != nil {
			return nil, fmt.Errorf("bookmark tags: %w", err)
		}
		for rows.Next() {
			var bid int64
			var name string
			if err := rows.Scan(&bid, &name); err != nil {
				rows.Close()
				return nil, fmt.Errorf("bookmark tags: %w", err)
			}
			out[byID[bid]].Tags = append(out[byID[bid]].Tags, name)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("bookmark tags: %w", err)
		}
	}
	return out, nil
}

// BookmarksByIDs loads bookmarks with their tags, in no particular order;
// ids that do not exist are left out.
func (s *Store) BookmarksByIDs(ctx context.Context, ids []int64) ([]*archive.Bookmark, error) {
	out := []*archive.Bookmark{}
	for rest := ids; len(rest) > 0; {
		n := min(len(rest), 500)
		chunk := rest[:n]
		rest = rest[n:]
		rows, err := s.db.QueryContext(ctx, `SELECT `+bookmarkCols+` FROM bookmarks b JOIN users u ON u.id = b.user_id
			WHERE b.id IN (`+placeholders(len(chunk))+`)`, int64Args(chunk)...)
		if err != nil {
			return nil, fmt.Errorf("bookmarks by id: %w", err)
		}
		for rows.Next() {
			b, err := scanBookmark(rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("bookmarks by id: %w", err)
			}
			out = append(out, b)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("bookmarks by id: %w", err)
		}
	}
	if err := s.fillBookmarkTags(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}
