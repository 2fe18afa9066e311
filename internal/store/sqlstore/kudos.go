package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"quire/internal/archive"
	"quire/internal/store"
)

// AddKudos inserts a kudos; a trigger counts it on the work.
func (s *Store) AddKudos(ctx context.Context, k *store.Kudo) error {
	var user, guest any
	if k.UserID > 0 {
		user = k.UserID
	} else {
		guest = k.GuestKey
	}
	err := s.db.QueryRowContext(ctx, `INSERT INTO kudos (work_id, user_id, guest_key, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		k.WorkID, user, guest, unix(k.CreatedAt)).Scan(&k.ID)
	if isUnique(err) {
		return fmt.Errorf("kudos on work %d: %w", k.WorkID, archive.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("kudos on work %d: %w", k.WorkID, err)
	}
	return nil
}

// KudosGivers names the accounts that left kudos and counts the rest.
func (s *Store) KudosGivers(ctx context.Context, workID int64) (store.KudosGivers, error) {
	var g store.KudosGivers
	rows, err := s.db.QueryContext(ctx, `SELECT u.name FROM kudos k JOIN users u ON u.id = k.user_id WHERE k.work_id = ? ORDER BY k.id`, workID)
	if err != nil {
		return g, fmt.Errorf("kudos of work %d: %w", workID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return g, err
		}
		g.Users = append(g.Users, n)
	}
	if err := rows.Err(); err != nil {
		return g, err
	}
	err = s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM kudos WHERE work_id = ? AND user_id IS NULL`, workID).Scan(&g.Guests)
	if err != nil && err != sql.ErrNoRows {
		return g, fmt.Errorf("kudos of work %d: %w", workID, err)
	}
	return g, nil
}

// AddVisitorHit counts a hit the first time a visitor reads a work on a day.
func (s *Store) AddVisitorHit(ctx context.Context, workID, day int64, visitor string) (bool, error) {
	counted := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM hits WHERE day < ?`, day-1); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO hits (work_id, day, visitor) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, workID, day, visitor)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		counted = true
		_, err = tx.ExecContext(ctx, `UPDATE works SET hits = hits + 1 WHERE id = ?`, workID)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("hit on work %d: %w", workID, err)
	}
	return counted, nil
}

func (s *Store) VisitorSalt(ctx context.Context) (string, error) {
	var salt string
	if err := s.db.QueryRowContext(ctx, `SELECT salt FROM visitor_salt WHERE id = 1`).Scan(&salt); err != nil {
		return "", fmt.Errorf("visitor salt: %w", err)
	}
	return salt, nil
}
