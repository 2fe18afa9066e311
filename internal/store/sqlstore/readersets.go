package sqlstore

import (
	"context"
	"fmt"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

var _ store.ReaderSets = (*Store)(nil)

var readerSetQueries = map[string]string{
	store.SetRead:       `SELECT work_id FROM readings WHERE user_id = ? AND views > 0`,
	store.SetKudosed:    `SELECT work_id FROM kudos WHERE user_id = ?`,
	store.SetBookmarked: `SELECT work_id FROM bookmarks WHERE user_id = ? AND work_id IS NOT NULL`,
	store.SetLater:      `SELECT work_id FROM readings WHERE user_id = ? AND marked_for_later = 1`,
	store.SetHidden:     `SELECT work_id FROM hidden_works WHERE user_id = ?`,
}

// ReaderWorkIDs lists the ids of one of the reader's sets.
func (s *Store) ReaderWorkIDs(ctx context.Context, userID int64, set string) ([]int64, error) {
	q, ok := readerSetQueries[set]
	if !ok {
		return nil, fmt.Errorf("reader set %q: no such set", set)
	}
	return s.idList(ctx, fmt.Sprintf("%s works of user %d", set, userID), q, userID)
}

// HideWork hides a work from the reader.
func (s *Store) HideWork(ctx context.Context, userID, workID int64, t time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO hidden_works (user_id, work_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		userID, workID, t.Unix())
	if isForeignKey(err) {
		return fmt.Errorf("hide work %d: %w", workID, archive.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("hide work %d: %w", workID, err)
	}
	return nil
}

// UnhideWork shows a hidden work to the reader again.
func (s *Store) UnhideWork(ctx context.Context, userID, workID int64) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM hidden_works WHERE user_id = ? AND work_id = ?`, userID, workID); err != nil {
		return fmt.Errorf("unhide work %d: %w", workID, err)
	}
	return nil
}

// HiddenWorks lists the works the reader hid, most recent first.
func (s *Store) HiddenWorks(ctx context.Context, userID int64) ([]store.HiddenWork, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT work_id, created_at FROM hidden_works WHERE user_id = ? ORDER BY created_at DESC, work_id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("hidden works of user %d: %w", userID, err)
	}
	defer rows.Close()
	out := []store.HiddenWork{}
	for rows.Next() {
		var h store.HiddenWork
		var at int64
		if err := rows.Scan(&h.WorkID, &at); err != nil {
			return nil, err
		}
		h.CreatedAt = fromUnix(at)
		out = append(out, h)
	}
	return out, rows.Err()
}
