package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

func (s *Store) RenameUser(ctx context.Context, id int64, name string, at time.Time) (changed []int64, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var oldName, oldKey string
		if err := tx.QueryRowContext(ctx, `SELECT name, name_key FROM users WHERE id = ?`, id).Scan(&oldName, &oldKey); err != nil {
			return notFound(err, "user")
		}
		key := userKey(name)
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE name_key = ? AND id <> ?`, key, id).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM pseuds WHERE name_key = ? AND (user_id IS NULL OR user_id <> ? OR is_default = 0)`, key, id).Scan(&n); err != nil {
				return err
			}
		}
		if n > 0 {
			return fmt.Errorf("name %q is taken: %w", name, archive.ErrConflict)
		}
		if key != oldKey {
			if _, err := tx.ExecContext(ctx, `DELETE FROM user_renames WHERE old_key = ?`, key); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO user_renames (old_key, old_name, user_id, renamed_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (old_key) DO UPDATE SET old_name = excluded.old_name, user_id = excluded.user_id, renamed_at = excluded.renamed_at`,
				oldKey, oldName, id, at.Unix()); err != nil {
				return fmt.Errorf("record former name: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET name = ?, name_key = ? WHERE id = ?`, name, key, id); err != nil {
			return fmt.Errorf("rename user: %w", err)
		}
		var pid int64
		err := tx.QueryRowContext(ctx, `UPDATE pseuds SET name = ?, name_key = ? WHERE user_id = ? AND is_default = 1 RETURNING id`, name, key, id).Scan(&pid)
		if err != nil {
			return fmt.Errorf("rename default pseud: %w", err)
		}
		if changed, err = pseudWorks(ctx, tx, pid); err != nil {
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

func (s *Store) FormerNames(ctx context.Context, id int64) ([]store.FormerName, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT old_name, renamed_at FROM user_renames WHERE user_id = ? ORDER BY renamed_at DESC, old_key`, id)
	if err != nil {
		return nil, fmt.Errorf("former names: %w", err)
	}
	defer rows.Close()
	var out []store.FormerName
	for rows.Next() {
		var f store.FormerName
		var at int64
		if err := rows.Scan(&f.Name, &at); err != nil {
			return nil, err
		}
		f.RenamedAt = fromUnix(at)
		out = append(out, f)
	}
	return out, rows.Err()
}

func (s *Store) FormerNameOwner(ctx context.Context, name string) (*archive.User, time.Time, error) {
	var id, at int64
	err := s.db.QueryRowContext(ctx, `SELECT user_id, renamed_at FROM user_renames WHERE old_key = ?`, userKey(name)).Scan(&id, &at)
	if err != nil {
		return nil, time.Time{}, notFound(err, "former name")
	}
	u, err := s.UserByID(ctx, id)
	if err != nil {
		return nil, time.Time{}, err
	}
	return u, fromUnix(at), nil
}
