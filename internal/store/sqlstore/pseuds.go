package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"quire/internal/archive"
)

// CreatePseud adds a non-default pseud to an account.
func (s *Store) CreatePseud(ctx context.Context, userID int64, name string) (*archive.Pseud, error) {
	p := &archive.Pseud{UserID: userID, Name: name}
	err := s.db.QueryRowContext(ctx, `INSERT INTO pseuds (user_id, name, name_key, is_default, created_at) VALUES (?, ?, ?, 0, ?) RETURNING id`,
		userID, name, userKey(name), time.Now().Unix()).Scan(&p.ID)
	if isUnique(err) {
		return nil, fmt.Errorf("pseud %q is taken: %w", name, archive.ErrConflict)
	}
	if err != nil {
		return nil, fmt.Errorf("create pseud: %w", err)
	}
	return p, nil
}

// PseudByName finds any account's pseud by name (orphan pseud included).
func (s *Store) PseudByName(ctx context.Context, name string) (*archive.Pseud, error) {
	var p archive.Pseud
	var uid sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT id, user_id, name, is_default FROM pseuds WHERE name_key = ?`, userKey(name)).
		Scan(&p.ID, &uid, &p.Name, &p.IsDefault)
	if err != nil {
		return nil, notFound(err, "pseud")
	}
	p.UserID = uid.Int64
	return &p, nil
}

func pseudWorks(ctx context.Context, q queryer, pseudID int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT work_id FROM work_creators WHERE pseud_id = ? ORDER BY work_id DESC`, pseudID)
	if err != nil {
		return nil, err
	}
	return collectIDs(rows)
}

// RenamePseud renames a pseud and refreshes the works that show it.
func (s *Store) RenamePseud(ctx context.Context, pseudID int64, name string) (changed []int64, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE pseuds SET name = ?, name_key = ? WHERE id = ?`, name, userKey(name), pseudID)
		if isUnique(err) {
			return fmt.Errorf("pseud %q is taken: %w", name, archive.ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("rename pseud: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("pseud %d: %w", pseudID, archive.ErrNotFound)
		}
		if changed, err = pseudWorks(ctx, tx, pseudID); err != nil {
			return err
		}
		for _, wid := range changed {
			if err := refreshSortKeys(ctx, tx, wid); err != nil {
				return err
			}
			if err := refreshFTS(ctx, tx, wid); err != nil {
				return err
			}
		}
		return nil
	})
	return changed, err
}

// DeletePseud credits a pseud's works and series to its account's default
// pseud, then removes it. A default pseud can't be deleted.
func (s *Store) DeletePseud(ctx context.Context, pseudID int64) (changed []int64, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var uid sql.NullInt64
		var isDefault bool
		if err := tx.QueryRowContext(ctx, `SELECT user_id, is_default FROM pseuds WHERE id = ?`, pseudID).Scan(&uid, &isDefault); err != nil {
			return notFound(err, "pseud")
		}
		if isDefault || !uid.Valid {
			return archive.Invalid("pseud", "is the account's default pseud and can't be deleted")
		}
		var def int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM pseuds WHERE user_id = ? AND is_default = 1`, uid.Int64).Scan(&def); err != nil {
			return fmt.Errorf("default pseud of user %d: %w", uid.Int64, err)
		}
		var err error
		if changed, err = pseudWorks(ctx, tx, pseudID); err != nil {
			return err
		}
		// A byline that already names the default pseud just loses this one.
		if _, err := tx.ExecContext(ctx, `UPDATE work_creators SET pseud_id = ? WHERE pseud_id = ?
			AND NOT EXISTS (SELECT 1 FROM work_creators o WHERE o.work_id = work_creators.work_id AND o.pseud_id = ?)`, def, pseudID, def); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM work_creators WHERE pseud_id = ?`, pseudID); err != nil {
			return err
		}
		// Chapters' own bylines likewise (the rest go with the pseud).
		if _, err := tx.ExecContext(ctx, `UPDATE chapter_creators SET pseud_id = ? WHERE pseud_id = ?
			AND NOT EXISTS (SELECT 1 FROM chapter_creators o WHERE o.chapter_id = chapter_creators.chapter_id AND o.pseud_id = ?)`, def, pseudID, def); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE series_creators SET pseud_id = ? WHERE pseud_id = ?
			AND NOT EXISTS (SELECT 1 FROM series_creators o WHERE o.series_id = series_creators.series_id AND o.pseud_id = ?)`, def, pseudID, def); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE comments SET pseud_id = ? WHERE pseud_id = ?`, def, pseudID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM pseuds WHERE id = ?`, pseudID); err != nil {
			return fmt.Errorf("delete pseud: %w", err)
		}
		for _, wid := range changed {
			if err := renumberCreators(ctx, tx, wid); err != nil {
				return err
			}
			if err := refreshSortKeys(ctx, tx, wid); err != nil {
				return err
			}
			if err := refreshFTS(ctx, tx, wid); err != nil {
				return err
			}
		}
		return nil
	})
	return changed, err
}

// renumberCreators closes gaps in a work's byline positions.
func renumberCreators(ctx context.Context, tx *sql.Tx, workID int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT pseud_id FROM work_creators WHERE work_id = ? ORDER BY position`, workID)
	if err != nil {
		return err
	}
	ids, err := collectIDs(rows)
	if err != nil {
		return err
	}
	for i, pid := range ids {
		if _, err := tx.ExecContext(ctx, `UPDATE work_creators SET position = ? WHERE work_id = ? AND pseud_id = ?`, i, workID, pid); err != nil {
			return err
		}
	}
	return nil
}

// WorkIDsByPseud lists the works the pseud is credited on, newest first.
func (s *Store) WorkIDsByPseud(ctx context.Context, pseudID int64) ([]int64, error) {
	return pseudWorks(ctx, s.db, pseudID)
}

// SetWorkCreators rewrites a work's byline.
func (s *Store) SetWorkCreators(ctx context.Context, workID int64, pseudIDs []int64) error {
	if len(pseudIDs) == 0 {
		return archive.Invalid("creators", "a work needs at least one creator")
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM works WHERE id = ?`, workID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("work %d: %w", workID, archive.ErrNotFound)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM work_creators WHERE work_id = ?`, workID); err != nil {
			return err
		}
		seen := map[int64]bool{}
		pos := 0
		for _, pid := range pseudIDs {
			if seen[pid] {
				continue
			}
			seen[pid] = true
			if _, err := tx.ExecContext(ctx, `INSERT INTO work_creators (work_id, pseud_id, position) VALUES (?, ?, ?)`, workID, pid, pos); err != nil {
				return fmt.Errorf("set creators: %w", err)
			}
			pos++
		}
		if err := dropStrayChapterCreators(ctx, tx, workID); err != nil {
			return err
		}
		if err := refreshSortKeys(ctx, tx, workID); err != nil {
			return err
		}
		return refreshFTS(ctx, tx, workID)
	})
}
