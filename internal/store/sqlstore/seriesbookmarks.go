package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"quire/internal/archive"
	"quire/internal/store"
)

var (
	_ store.SeriesBookmarks = (*Store)(nil)
	_ store.CommentCounts   = (*Store)(nil)
)

// bookmarkKindSeries is bookmarks.kind for a bookmark of a series ('work'
// for a work's).
const bookmarkKindSeries = "series"

// createSeriesBookmark inserts a bookmark of a series with its tags. Series
// bookmarks count toward no work.
func (s *Store) createSeriesBookmark(ctx context.Context, b *archive.Bookmark) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT title FROM series WHERE id = ?`, b.SeriesID).Scan(&b.SeriesTitle)
		if err != nil {
			return notFound(err, fmt.Sprintf("bookmark series %d", b.SeriesID))
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO bookmarks (user_id, kind, series_id, series_title, notes_src, notes_fmt, notes_html, rec, private, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			b.UserID, bookmarkKindSeries, b.SeriesID, b.SeriesTitle, b.Notes.Source, string(b.Notes.Format), b.Notes.HTML, b2i(b.Rec), b2i(b.Private),
			unix(b.CreatedAt), unix(b.UpdatedAt)).Scan(&b.ID)
		if isUnique(err) {
			return fmt.Errorf("bookmark of series %d: %w", b.SeriesID, archive.ErrConflict)
		}
		if err != nil {
			if isForeignKey(err) {
				return fmt.Errorf("bookmark by user %d: %w", b.UserID, archive.ErrNotFound)
			}
			return fmt.Errorf("create series bookmark: %w", err)
		}
		return writeBookmarkTags(ctx, tx, b)
	})
}

// SeriesBookmarkOf loads the user's bookmark of a series.
func (s *Store) SeriesBookmarkOf(ctx context.Context, userID, seriesID int64) (*archive.Bookmark, error) {
	return s.oneBookmark(ctx, fmt.Sprintf("bookmark of series %d by user %d", seriesID, userID),
		`b.user_id = ? AND b.series_id = ? AND b.kind = ?`, userID, seriesID, bookmarkKindSeries)
}

// SeriesBookmarkCount counts a series' public bookmarks but those of except
// (and of banned accounts).
func (s *Store) SeriesBookmarkCount(ctx context.Context, seriesID int64, except []int64) (int64, error) {
	q := `SELECT COUNT(*) FROM bookmarks WHERE series_id = ? AND kind = ? AND private = 0
		AND user_id NOT IN (SELECT id FROM users WHERE banned <> 0)`
	args := []any{seriesID, bookmarkKindSeries}
	if len(except) > 0 {
		q += ` AND user_id NOT IN (` + placeholders(len(except)) + `)`
		args = append(args, int64Args(except)...)
	}
	var n int64
	if err := s.db.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count bookmarks of series %d: %w", seriesID, err)
	}
	return n, nil
}

// MutedCommentCounts counts, per work, the counted comments (approved, not
// deleted, not hidden: those works.comments counts) written by
// mutedUsers or under one of theirs. Only readers who muted someone ask,
// for the works of one page: the seed uses comments_work, the walk down
// the threads comments_parent.
func (s *Store) MutedCommentCounts(ctx context.Context, workIDs, mutedUsers []int64) (map[int64]int64, error) {
	out := map[int64]int64{}
	if len(workIDs) == 0 || len(mutedUsers) == 0 {
		return out, nil
	}
	args := append(int64Args(workIDs), int64Args(mutedUsers)...)
	rows, err := s.db.QueryContext(ctx, `WITH RECURSIVE unseen(id) AS (
			SELECT id FROM comments WHERE work_id IN (`+placeholders(len(workIDs))+`) AND user_id IN (`+placeholders(len(mutedUsers))+`)
			UNION
			SELECT c.id FROM comments c JOIN unseen ON c.parent_id = unseen.id
		)
		SELECT c.work_id, COUNT(*) FROM comments c JOIN unseen ON unseen.id = c.id
		WHERE c.approved = 1 AND c.deleted = 0 AND c.hidden = 0 GROUP BY c.work_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("muted comment counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("muted comment counts: %w", err)
		}
		out[id] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("muted comment counts: %w", err)
	}
	return out, nil
}
