package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

// errDryRun rolls back a dry run's transaction once every write succeeded.
var errDryRun = errors.New("dry run")

// ImportWorks inserts the works of one imported file, with their chapters
// and series places, in one transaction.
func (s *Store) ImportWorks(ctx context.Context, ws []store.ImportedWork, dryRun bool) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		cache := newBatchCache()
		for i := range ws {
			if err := createWork(ctx, tx, &ws[i].NewWork, cache); err != nil {
				return err
			}
			// Links between the chapters (a book's notes) can name the
			// chapters' pages only now that the chapters have ids.
			for _, k := range archive.LinkChapters(ws[i].Work.ID, ws[i].Chapters) {
				c := ws[i].Chapters[k]
				if _, err := tx.ExecContext(ctx, `UPDATE chapters SET body_src = ?, body_html = ? WHERE id = ?`, c.Body.Source, c.Body.HTML, c.ID); err != nil {
					return fmt.Errorf("link chapter %d: %w", c.ID, err)
				}
			}
			for _, sr := range ws[i].Series {
				if err := importSeriesPlace(ctx, tx, ws[i].Work.ID, ws[i].PseudIDs, sr); err != nil {
					return err
				}
			}
		}
		if dryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		return nil
	}
	return err
}

// importSeriesPlace puts the work into the series of that title that one of
// the byline's accounts already has, or into a new one credited to the
// byline, at its part number (see below), so parts imported out of order
// line up.
func importSeriesPlace(ctx context.Context, tx *sql.Tx, workID int64, pseudIDs []int64, sr store.ImportedSeries) error {
	title := strings.TrimSpace(sr.Title)
	if title == "" || len(pseudIDs) == 0 {
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT s.id, s.title FROM series s
		JOIN series_creators sc ON sc.series_id = s.id
		JOIN pseuds p ON p.id = sc.pseud_id
		WHERE p.user_id IN (SELECT user_id FROM pseuds WHERE id IN (`+placeholders(len(pseudIDs))+`) AND user_id IS NOT NULL)
		ORDER BY s.id`, int64Args(pseudIDs)...)
	if err != nil {
		return fmt.Errorf("find series %q: %w", title, err)
	}
	var seriesID int64
	for rows.Next() {
		var id int64
		var t string
		if err := rows.Scan(&id, &t); err != nil {
			rows.Close()
			return err
		}
		if seriesID == 0 && strings.EqualFold(strings.TrimSpace(t), title) {
			seriesID = id
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	now := time.Now().UTC().Unix()
	if seriesID == 0 {
		err := tx.QueryRowContext(ctx, `INSERT INTO series (title, summary_src, summary_fmt, summary_html, notes_src, notes_fmt, notes_html, complete, created_at, updated_at)
			VALUES (?, '', ?, '', '', ?, '', 0, ?, ?) RETURNING id`, title, string(archive.FormatHTML), string(archive.FormatHTML), now, now).Scan(&seriesID)
		if err != nil {
			return fmt.Errorf("create series %q: %w", title, err)
		}
		for i, pid := range pseudIDs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO series_creators (series_id, pseud_id, position) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, seriesID, pid, i); err != nil {
				return fmt.Errorf("series creator: %w", err)
			}
		}
	}
	// The work takes its part number as its position, so parts imported
	// in any order line up, and a part the archive lacks leaves a gap
	// ("Part 3 of" stays true); works already at or past that position
	// move down one when the place is taken. Without a part number it
	// goes last.
	var taken, last int64
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM series_works WHERE series_id = ? AND work_id <> ? AND position = ?`,
		seriesID, workID, sr.Position).Scan(&taken); err != nil {
		return fmt.Errorf("series works: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) FROM series_works WHERE series_id = ? AND work_id <> ?`, seriesID, workID).Scan(&last); err != nil {
		return fmt.Errorf("series works: %w", err)
	}
	pos := last + 1
	if sr.Position > 0 {
		pos = int64(sr.Position)
		if taken > 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE series_works SET position = position + 1 WHERE series_id = ? AND position >= ?`, seriesID, pos); err != nil {
				return fmt.Errorf("series works: %w", err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM series_works WHERE series_id = ? AND work_id = ?`, seriesID, workID); err != nil {
		return fmt.Errorf("series works: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO series_works (series_id, work_id, position) VALUES (?, ?, ?)`, seriesID, workID, pos); err != nil {
		return fmt.Errorf("series work: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE series SET updated_at = ? WHERE id = ?`, now, seriesID); err != nil {
		return fmt.Errorf("series %d: %w", seriesID, err)
	}
	return nil
}
