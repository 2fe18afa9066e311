package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

func (s *Store) RecordReading(ctx context.Context, userID, workID, chapterID int64, t time.Time) error {
	n, err := s.recordReadings(ctx, []store.ReadingViews{{UserID: userID, WorkID: workID, ChapterID: chapterID, Views: 1, First: t, Last: t}})
	if err == nil && n == 0 {
		return fmt.Errorf("reading of work %d: %w", workID, archive.ErrNotFound)
	}
	return err
}

// RecordReadings upserts every reader's row in one transaction; the SELECT
// leaves out views whose account or work is gone, and a chapter that is
// gone (or of another work) counts as none.
func (s *Store) RecordReadings(ctx context.Context, views []store.ReadingViews) error {
	_, err := s.recordReadings(ctx, views)
	return err
}

// recordReadings writes the views and counts the rows written.
func (s *Store) recordReadings(ctx context.Context, views []store.ReadingViews) (int64, error) {
	if len(views) == 0 {
		return 0, nil
	}
	var written int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `INSERT INTO readings (user_id, work_id, chapter_id, views, marked_for_later, first_read_at, last_read_at)
		SELECT u.id, w.id, (SELECT c.id FROM chapters c WHERE c.id = ? AND c.work_id = w.id), ?, 0, ?, ?
		FROM users u, works w WHERE u.id = ? AND w.id = ?
		ON CONFLICT (user_id, work_id) DO UPDATE SET chapter_id = COALESCE(excluded.chapter_id, readings.chapter_id),
			views = readings.views + excluded.views, last_read_at = excluded.last_read_at`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, v := range views {
			res, err := st.ExecContext(ctx, v.ChapterID, v.Views, v.First.Unix(), v.Last.Unix(), v.UserID, v.WorkID)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			written += n
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("record readings: %w", err)
	}
	return written, nil
}

func (s *Store) MarkForLater(ctx context.Context, userID, workID int64, on bool, t time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO readings (user_id, work_id, views, marked_for_later, first_read_at, last_read_at)
		VALUES (?, ?, 0, ?, ?, ?)
		ON CONFLICT (user_id, work_id) DO UPDATE SET marked_for_later = excluded.marked_for_later, last_read_at = excluded.last_read_at`,
		userID, workID, b2i(on), t.Unix(), t.Unix())
	if isForeignKey(err) {
		return fmt.Errorf("mark work %d for later: %w", workID, archive.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("mark for later: %w", err)
	}
	return nil
}

const readingCols = `user_id, work_id, COALESCE(chapter_id, 0), views, marked_for_later, first_read_at, last_read_at`

func scanReading(row interface{ Scan(...any) error }) (store.Reading, error) {
	var r store.Reading
	var first, last int64
	err := row.Scan(&r.UserID, &r.WorkID, &r.ChapterID, &r.Views, &r.MarkedForLater, &first, &last)
	r.FirstReadAt, r.LastReadAt = fromUnix(first), fromUnix(last)
	return r, err
}

func (s *Store) History(ctx context.Context, userID int64, laterOnly bool, limit, offset int) ([]store.Reading, int, error) {
	where := `user_id = ?`
	if laterOnly {
		where += ` AND marked_for_later = 1`
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM readings WHERE `+where, userID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("history: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+readingCols+` FROM readings WHERE `+where+` ORDER BY last_read_at DESC, work_id DESC LIMIT ? OFFSET ?`,
		userID, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("history: %w", err)
	}
	defer rows.Close()
	var out []store.Reading
	for rows.Next() {
		r, err := scanReading(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

func (s *Store) Reading(ctx context.Context, userID, workID int64) (*store.Reading, error) {
	r, err := scanReading(s.db.QueryRowContext(ctx, `SELECT `+readingCols+` FROM readings WHERE user_id = ? AND work_id = ?`, userID, workID))
	if err == sql.ErrNoRows {
		return nil, fmt.Errorf("reading: %w", archive.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("reading: %w", err)
	}
	return &r, nil
}

func (s *Store) ClearHistory(ctx context.Context, userID int64) error {
	return s.exec(ctx, "clear history", `DELETE FROM readings WHERE user_id = ?`, userID)
}
