package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"quire/internal/archive"
	"quire/internal/store"
)

var _ store.Bookmarks = (*Store)(nil)

// CreateBookmark inserts a bookmark with its tags and recounts the work.
func (s *Store) CreateBookmark(ctx context.Context, b *archive.Bookmark) error {
	if b.OfSeries {
		return s.createSeriesBookmark(ctx, b)
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var title string
		err := tx.QueryRowContext(ctx, `SELECT title FROM works WHERE id = ?`, b.WorkID).Scan(&title)
		if err != nil {
			return notFound(err, fmt.Sprintf("bookmark work %d", b.WorkID))
		}
		b.WorkTitle = title
		err = tx.QueryRowContext(ctx, `INSERT INTO bookmarks (user_id, work_id, work_title, notes_src, notes_fmt, notes_html, rec, private, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			b.UserID, b.WorkID, b.WorkTitle, b.Notes.Source, string(b.Notes.Format), b.Notes.HTML, b2i(b.Rec), b2i(b.Private),
			unix(b.CreatedAt), unix(b.UpdatedAt)).Scan(&b.ID)
		if isUnique(err) {
			return fmt.Errorf("bookmark of work %d: %w", b.WorkID, archive.ErrConflict)
		}
		if err != nil {
			if isForeignKey(err) {
				return fmt.Errorf("bookmark by user %d: %w", b.UserID, archive.ErrNotFound)
			}
			return fmt.Errorf("create bookmark: %w", err)
		}
		if err := writeBookmarkTags(ctx, tx, b); err != nil {
			return err
		}
		return recountBookmarks(ctx, tx, b.WorkID)
	})
}

// UpdateBookmark saves a bookmark's fields and tags and recounts the work.
func (s *Store) UpdateBookmark(ctx context.Context, b *archive.Bookmark) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE bookmarks SET work_title = ?, notes_src = ?, notes_fmt = ?, notes_html = ?, rec = ?, private = ?, updated_at = ?
			WHERE id = ?`, b.WorkTitle, b.Notes.Source, string(b.Notes.Format), b.Notes.HTML, b2i(b.Rec), b2i(b.Private), unix(b.UpdatedAt), b.ID)
		if err != nil {
			return fmt.Errorf("update bookmark %d: %w", b.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("bookmark %d: %w", b.ID, archive.ErrNotFound)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM bookmark_tags WHERE bookmark_id = ?`, b.ID); err != nil {
			return fmt.Errorf("update bookmark %d: %w", b.ID, err)
		}
		if err := writeBookmarkTags(ctx, tx, b); err != nil {
			return err
		}
		var workID sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT work_id FROM bookmarks WHERE id = ?`, b.ID).Scan(&workID); err != nil {
			return fmt.Errorf("update bookmark %d: %w", b.ID, err)
		}
		return recountBookmarks(ctx, tx, workID.Int64)
	})
}

// DeleteBookmark removes a bookmark and recounts its work.
func (s *Store) DeleteBookmark(ctx context.Context, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var workID sql.NullInt64
		err := tx.QueryRowContext(ctx, `DELETE FROM bookmarks WHERE id = ? RETURNING work_id`, id).Scan(&workID)
		if err != nil {
			return notFound(err, fmt.Sprintf("delete bookmark %d", id))
		}
		return recountBookmarks(ctx, tx, workID.Int64)
	})
}

func writeBookmarkTags(ctx context.Context, tx *sql.Tx, b *archive.Bookmark) error {
	for i, t := range b.Tags {
		if _, err := tx.ExecContext(ctx, `INSERT INTO bookmark_tags (bookmark_id, position, name) VALUES (?, ?, ?)`, b.ID, i, t); err != nil {
			return fmt.Errorf("bookmark %d tags: %w", b.ID, err)
		}
	}
	return nil
}

// recountBookmarks sets the work's bookmark count to its public bookmarks,
// as AO3 counts them (a banned account's count for nothing).
func recountBookmarks(ctx context.Context, tx *sql.Tx, workID int64) error {
	if workID == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE works SET bookmarks = (SELECT COUNT(*) FROM bookmarks b JOIN users u ON u.id = b.user_id
		WHERE b.work_id = ? AND b.private = 0 AND u.banned = 0) WHERE id = ?`, workID, workID)
	if err != nil {
		return fmt.Errorf("recount bookmarks of work %d: %w", workID, err)
	}
	return nil
}

const bookmarkCols = `b.id, b.user_id, u.name, b.work_id, b.work_title, b.notes_src, b.notes_fmt, b.notes_html, b.rec,
	CASE WHEN b.private <> 0 OR u.banned <> 0 THEN 1 ELSE 0 END, b.created_at, b.updated_at, b.kind, b.series_id, b.series_title`

func scanBookmark(row interface{ Scan(...any) error }) (*archive.Bookmark, error) {
	var b archive.Bookmark
	var workID, seriesID sql.NullInt64
	var fmtName, kind string
	var rec, private int
	var created, updated int64
	if err := row.Scan(&b.ID, &b.UserID, &b.UserName, &workID, &b.WorkTitle, &b.Notes.Source, &fmtName, &b.Notes.HTML,
		&rec, &private, &created, &updated, &kind, &seriesID, &b.SeriesTitle); err != nil {
		return nil, err
	}
	b.WorkID, b.SeriesID, b.OfSeries = workID.Int64, seriesID.Int64, kind == bookmarkKindSeries
	b.Notes.Format = archive.Format(fmtName)
	b.Rec, b.Private = rec != 0, private != 0
	b.CreatedAt, b.UpdatedAt = fromUnix(created), fromUnix(updated)
	return &b, nil
}

// Bookmark loads one bookmark with its tags.
func (s *Store) Bookmark(ctx context.Context, id int64) (*archive.Bookmark, error) {
	return s.oneBookmark(ctx, fmt.Sprintf("bookmark %d", id), `b.id = ?`, id)
}

// BookmarkOf loads the user's bookmark of a work.
func (s *Store) BookmarkOf(ctx context.Context, userID, workID int64) (*archive.Bookmark, error) {
	return s.oneBookmark(ctx, fmt.Sprintf("bookmark of work %d by user %d", workID, userID), `b.user_id = ? AND b.work_id = ?`, userID, workID)
}

func (s *Store) oneBookmark(ctx context.Context, what, where string, args ...any) (*archive.Bookmark, error) {
	b, err := scanBookmark(s.db.QueryRowContext(ctx, `SELECT `+bookmarkCols+` FROM bookmarks b JOIN users u ON u.id = b.user_id WHERE `+where, args...))
	if err != nil {
		return nil, notFound(err, what)
	}
	if err := s.fillBookmarkTags(ctx, []*archive.Bookmark{b}); err != nil {
		return nil, err
	}
	return b, nil
}

// PublicBookmarksOfWork lists a work's public bookmarks, newest first.
func (s *Store) PublicBookmarksOfWork(ctx context.Context, workID int64) ([]*archive.Bookmark, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+bookmarkCols+` FROM bookmarks b JOIN users u ON u.id = b.user_id
		WHERE b.work_id = ? AND b.private = 0 AND u.banned = 0 ORDER BY b.created_at DESC, b.id DESC`, workID)
	if err != nil {
		return nil, fmt.Errorf("bookmarks of work %d: %w", workID, err)
	}
	defer rows.Close()
	out := []*archive.Bookmark{}
	for rows.Next() {
		b, err := scanBookmark(rows)
		if err != nil {
			return nil, fmt.Errorf("bookmarks of work %d: %w", workID, err)
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("bookmarks of work %d: %w", workID, err)
	}
	if err := s.fillBookmarkTags(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// BookmarksByUser lists a user's bookmarks, newest first. A banned
// account's bookmarks count as private: others see none of them.
func (s *Store) BookmarksByUser(ctx context.Context, userID int64, withPrivate bool) ([]*archive.Bookmark, error) {
	q := `SELECT ` + bookmarkCols + ` FROM bookmarks b JOIN users u ON u.id = b.user_id WHERE b.user_id = ?`
	if !withPrivate {
		q += ` AND b.private = 0 AND u.banned = 0`
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY b.created_at DESC, b.id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("bookmarks of user %d: %w", userID, err)
	}
	defer rows.Close()
	out := []*archive.Bookmark{}
	for rows.Next() {
		b, err := scanBookmark(rows)
		if err != nil {
			return nil, fmt.Errorf("bookmarks of user %d: %w", userID, err)
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("bookmarks of user %d: %w", userID, err)
	}
	if err := s.fillBookmarkTags(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// fillBookmarkTags loads the tags of bookmarks, a chunk of ids at a time.
func (s *Store) fillBookmarkTags(ctx context.Context, bs []*archive.Bookmark) error {
	byID := make(map[int64]*archive.Bookmark, len(bs))
	ids := make([]int64, 0, len(bs))
	for _, b := range bs {
		byID[b.ID] = b
		ids = append(ids, b.ID)
		b.Tags = []string{}
	}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		chunk := ids[:n]
		ids = ids[n:]
		rows, err := s.db.QueryContext(ctx, `SELECT bookmark_id, name FROM bookmark_tags WHERE bookmark_id IN (`+placeholders(len(chunk))+`) ORDER BY bookmark_id, position`, int64Args(chunk)...)
		if err != nil {
			return fmt.Errorf("bookmark tags: %w", err)
		}
		for rows.Next() {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				rows.Close()
				return fmt.Errorf("bookmark tags: %w", err)
			}
			byID[id].Tags = append(byID[id].Tags, name)
		}
		err = rows.Err()
		rows.Close()
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("bookmark tags: %w", err)
		}
	}
	return nil
}
