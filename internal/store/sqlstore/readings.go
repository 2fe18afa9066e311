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
	var ch any
	if chapterID != 0 {
		ch = chapterID
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO readings (user_id, work_id, chapter_id, views, marked_for_later, first_read_at, last_read_at)
		VALUES (?, ?, ?, 1, 0, ?, ?)
		ON CONFLICT (user_id, work_id) DO UPDATE SET chapter_id = COALESCE(excluded.chapter_id, readings.chapter_id),
			views = readings.views + 1, last_read_at = excluded.last_read_at`,
		userID, workID, ch, t.Unix(), t.Unix())
	if isForeignKey(err) {
		return fmt.Errorf("reading of work %d: %w", workID, archive.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("record reading: %w", err)
	}
	return nil
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
