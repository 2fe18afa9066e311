package sqlstore

import (
	"context"
	"fmt"
)

// Holds counts the archive's works and accounts: restore goes only into an
// archive with neither.
func (s *Store) Holds(ctx context.Context) (works, users int, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM works), (SELECT COUNT(*) FROM users)`).Scan(&works, &users)
	if err != nil {
		return 0, 0, fmt.Errorf("count works and users: %w", err)
	}
	return works, users, nil
}
