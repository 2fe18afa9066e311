package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"quire/internal/archive"
	"quire/internal/store"
)

// AddKudos inserts a kudos; a trigger counts it on the work.
func (s *Store) AddKudos(ctx context.Context, k *archive.Kudo) error {
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

// AddHits counts a batch of views in one transaction: the first view of a
// work by a visitor on a day counts, and every view without a visitor.
func (s *Store) AddHits(ctx context.Context, hits []store.VisitorHit) (map[int64]int64, error) {
	counted := map[int64]int64{}
	if len(hits) == 0 {
		return counted, nil
	}
	oldest := hits[0].Day
	for _, h := range hits {
		oldest = min(oldest, h.Day)
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		clear(counted)
		if _, err := tx.ExecContext(ctx, `DELETE FROM hits WHERE day < ?`, oldest-1); err != nil {
			return err
		}
		for _, h := range hits {
			if h.Visitor == "" {
				// Counted below, where a deleted work's UPDATE matches no row.
				counted[h.WorkID]++
				continue
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO hits (work_id, day, visitor) SELECT ?, ?, ?
				WHERE EXISTS (SELECT 1 FROM works WHERE id = ?) ON CONFLICT DO NOTHING`, h.WorkID, h.Day, h.Visitor, h.WorkID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				counted[h.WorkID]++
			}
		}
		for id, n := range counted {
			res, err := tx.ExecContext(ctx, `UPDATE works SET hits = hits + ? WHERE id = ?`, n, id)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				delete(counted, id)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count %d hits: %w", len(hits), err)
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
