package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"quire/internal/store"
)

func (s *Store) PublishScheduled(ctx context.Context, workID, chapterID int64, at, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if chapterID != 0 {
			res, err := tx.ExecContext(ctx, `UPDATE chapters SET draft = 0, posted_at = ?, updated_at = ?
				WHERE id = ? AND work_id = ? AND draft = 1 AND publish_at = ?`, now.Unix(), now.Unix(), chapterID, workID, at.Unix())
			if err != nil {
				return fmt.Errorf("publish chapter %d: %w", chapterID, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil
			}
			return touchWork(ctx, tx, workID)
		}
		res, err := tx.ExecContext(ctx, `UPDATE works SET draft = 0, posted_at = ?, edited_at = ? WHERE id = ? AND draft = 1 AND publish_at = ?`,
			now.Unix(), now.Unix(), workID, at.Unix())
		if err != nil {
			return fmt.Errorf("publish work %d: %w", workID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		// Its posted chapters are dated at the work's publication.
		if _, err := tx.ExecContext(ctx, `UPDATE chapters SET posted_at = ? WHERE work_id = ? AND draft = 0 AND posted_at < ?`,
			now.Unix(), workID, now.Unix()); err != nil {
			return err
		}
		if err := refreshWorkStats(ctx, tx, workID); err != nil {
			return err
		}
		return refreshFTS(ctx, tx, workID)
	})
}

func (s *Store) ClearSchedule(ctx context.Context, workID, chapterID int64, at time.Time) error {
	if chapterID != 0 {
		return s.exec(ctx, "clear chapter schedule", `UPDATE chapters SET publish_at = NULL WHERE id = ? AND draft = 0 AND publish_at = ?`, chapterID, at.Unix())
	}
	return s.exec(ctx, "clear work schedule", `UPDATE works SET publish_at = NULL WHERE id = ? AND draft = 0 AND publish_at = ?`, workID, at.Unix())
}

func (s *Store) PendingSchedules(ctx context.Context) ([]store.Schedule, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, 0, publish_at FROM works WHERE publish_at IS NOT NULL
		UNION ALL SELECT work_id, id, publish_at FROM chapters WHERE publish_at IS NOT NULL ORDER BY 3, 1, 2`)
	if err != nil {
		return nil, fmt.Errorf("pending schedules: %w", err)
	}
	defer rows.Close()
	var out []store.Schedule
	for rows.Next() {
		var sc store.Schedule
		var at int64
		if err := rows.Scan(&sc.WorkID, &sc.ChapterID, &at); err != nil {
			return nil, err
		}
		sc.At = fromUnix(at)
		out = append(out, sc)
	}
	return out, rows.Err()
}
