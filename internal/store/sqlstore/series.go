package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"quire/internal/archive"
)

// CreateSeries inserts a series credited to the pseuds.
func (s *Store) CreateSeries(ctx context.Context, sr *archive.Series, pseudIDs []int64) error {
	now := time.Now().UTC()
	if sr.CreatedAt.IsZero() {
		sr.CreatedAt = now
	}
	if sr.UpdatedAt.IsZero() {
		sr.UpdatedAt = sr.CreatedAt
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO series (title, summary_src, summary_fmt, summary_html, notes_src, notes_fmt, notes_html, complete, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			sr.Title, sr.Summary.Source, string(sr.Summary.Format), sr.Summary.HTML, sr.Notes.Source, string(sr.Notes.Format), sr.Notes.HTML,
			b2i(sr.Complete), unix(sr.CreatedAt), unix(sr.UpdatedAt)).Scan(&sr.ID)
		if err != nil {
			return fmt.Errorf("insert series: %w", err)
		}
		for i, pid := range pseudIDs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO series_creators (series_id, pseud_id, position) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, sr.ID, pid, i); err != nil {
				return fmt.Errorf("insert series creator: %w", err)
			}
		}
		return nil
	})
}

// UpdateSeries saves a series' own fields.
func (s *Store) UpdateSeries(ctx context.Context, sr *archive.Series) error {
	sr.UpdatedAt = time.Now().UTC()
	res, err := s.db.ExecContext(ctx, `UPDATE series SET title = ?, summary_src = ?, summary_fmt = ?, summary_html = ?,
			notes_src = ?, notes_fmt = ?, notes_html = ?, complete = ?, updated_at = ? WHERE id = ?`,
		sr.Title, sr.Summary.Source, string(sr.Summary.Format), sr.Summary.HTML, sr.Notes.Source, string(sr.Notes.Format), sr.Notes.HTML,
		b2i(sr.Complete), unix(sr.UpdatedAt), sr.ID)
	if err != nil {
		return fmt.Errorf("update series %d: %w", sr.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("series %d: %w", sr.ID, archive.ErrNotFound)
	}
	return nil
}

// DeleteSeries removes a series (its works stay).
func (s *Store) DeleteSeries(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM series WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete series %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("series %d: %w", id, archive.ErrNotFound)
	}
	return nil
}

// SeriesByID loads a series with its creators and works.
func (s *Store) SeriesByID(ctx context.Context, id int64) (*archive.Series, error) {
	var sr archive.Series
	var sf, nf string
	var created, updated int64
	err := s.db.QueryRowContext(ctx, `SELECT id, title, summary_src, summary_fmt, summary_html, notes_src, notes_fmt, notes_html, complete, created_at, updated_at
		FROM series WHERE id = ?`, id).Scan(&sr.ID, &sr.Title, &sr.Summary.Source, &sf, &sr.Summary.HTML, &sr.Notes.Source, &nf, &sr.Notes.HTML,
		&sr.Complete, &created, &updated)
	if err != nil {
		return nil, notFound(err, "series")
	}
	sr.Summary.Format, sr.Notes.Format = archive.Format(sf), archive.Format(nf)
	sr.CreatedAt, sr.UpdatedAt = fromUnix(created), fromUnix(updated)
	rows, err := s.db.QueryContext(ctx, `SELECT p.id, p.name, COALESCE(p.user_id, 0), COALESCE(u.name, '')
		FROM series_creators sc JOIN pseuds p ON p.id = sc.pseud_id LEFT JOIN users u ON u.id = p.user_id
		WHERE sc.series_id = ? ORDER BY sc.position`, id)
	if err != nil {
		return nil, fmt.Errorf("series creators: %w", err)
	}
	for rows.Next() {
		var c archive.Creator
		if err := rows.Scan(&c.PseudID, &c.Pseud, &c.UserID, &c.UserName); err != nil {
			rows.Close()
			return nil, err
		}
		sr.Creators = append(sr.Creators, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	entries, err := seriesEntries(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	sr.Works = entries
	return &sr, nil
}

func seriesEntries(ctx context.Context, q queryer, id int64) ([]archive.SeriesEntry, error) {
	rows, err := q.QueryContext(ctx, `SELECT work_id, position FROM series_works WHERE series_id = ? ORDER BY position, work_id`, id)
	if err != nil {
		return nil, fmt.Errorf("series works: %w", err)
	}
	defer rows.Close()
	var out []archive.SeriesEntry
	for rows.Next() {
		var e archive.SeriesEntry
		if err := rows.Scan(&e.WorkID, &e.Position); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// writeSeriesOrder stores the works' positions as 1..n in the given order.
func writeSeriesOrder(ctx context.Context, tx *sql.Tx, seriesID int64, ids []int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM series_works WHERE series_id = ?`, seriesID); err != nil {
		return err
	}
	for i, wid := range ids {
		if _, err := tx.ExecContext(ctx, `INSERT INTO series_works (series_id, work_id, position) VALUES (?, ?, ?)`, seriesID, wid, i+1); err != nil {
			return fmt.Errorf("series work: %w", err)
		}
	}
	_, err := tx.ExecContext(ctx, `UPDATE series SET updated_at = ? WHERE id = ?`, time.Now().Unix(), seriesID)
	return err
}

func (s *Store) seriesOrder(ctx context.Context, tx *sql.Tx, seriesID int64) ([]int64, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM series WHERE id = ?`, seriesID).Scan(&n); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, fmt.Errorf("series %d: %w", seriesID, archive.ErrNotFound)
	}
	entries, err := seriesEntries(ctx, tx, seriesID)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(entries))
	for _, e := range entries {
		ids = append(ids, e.WorkID)
	}
	return ids, nil
}

// SetSeriesWork puts (or moves) a work at a position in a series.
func (s *Store) SetSeriesWork(ctx context.Context, seriesID, workID int64, position int) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM works WHERE id = ?`, workID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("work %d: %w", workID, archive.ErrNotFound)
		}
		ids, err := s.seriesOrder(ctx, tx, seriesID)
		if err != nil {
			return err
		}
		kept := ids[:0]
		for _, id := range ids {
			if id != workID {
				kept = append(kept, id)
			}
		}
		at := len(kept)
		if position >= 1 && position-1 < len(kept) {
			at = position - 1
		}
		out := make([]int64, 0, len(kept)+1)
		out = append(out, kept[:at]...)
		out = append(out, workID)
		out = append(out, kept[at:]...)
		return writeSeriesOrder(ctx, tx, seriesID, out)
	})
}

// RemoveSeriesWork takes a work out of a series.
func (s *Store) RemoveSeriesWork(ctx context.Context, seriesID, workID int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		ids, err := s.seriesOrder(ctx, tx, seriesID)
		if err != nil {
			return err
		}
		kept := make([]int64, 0, len(ids))
		for _, id := range ids {
			if id != workID {
				kept = append(kept, id)
			}
		}
		if len(kept) == len(ids) {
			return fmt.Errorf("work %d in series %d: %w", workID, seriesID, archive.ErrNotFound)
		}
		return writeSeriesOrder(ctx, tx, seriesID, kept)
	})
}

// SeriesOfWorks maps work ids to the series they are in (by series id).
func (s *Store) SeriesOfWorks(ctx context.Context, workIDs []int64) (map[int64][]archive.SeriesRef, error) {
	out := map[int64][]archive.SeriesRef{}
	if len(workIDs) == 0 {
		return out, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT sw.work_id, s.id, s.title, sw.position FROM series_works sw JOIN series s ON s.id = sw.series_id
		WHERE sw.work_id IN (`+placeholders(len(workIDs))+`) ORDER BY sw.work_id, s.id`, int64Args(workIDs)...)
	if err != nil {
		return nil, fmt.Errorf("series of works: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var wid int64
		var r archive.SeriesRef
		if err := rows.Scan(&wid, &r.ID, &r.Title, &r.Position); err != nil {
			return nil, err
		}
		out[wid] = append(out[wid], r)
	}
	return out, rows.Err()
}

// SeriesIDsByUser lists the series any of the account's pseuds created.
func (s *Store) SeriesIDsByUser(ctx context.Context, userID int64) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT sc.series_id FROM series_creators sc JOIN pseuds p ON p.id = sc.pseud_id
		WHERE p.user_id = ? ORDER BY sc.series_id DESC`, userID)
	if err != nil {
		return nil, err
	}
	return collectIDs(rows)
}
