package sqlstore

import (
	"context"
	"fmt"
)

func (s *Store) SubscriberCounts(ctx context.Context, kind string, targets []int64) (map[int64]int, error) {
	out := make(map[int64]int, len(targets))
	if len(targets) == 0 {
		return out, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT target, COUNT(*) FROM subscriptions WHERE kind = ? AND target IN (`+placeholders(len(targets))+`) GROUP BY target`,
		append([]any{kind}, int64Args(targets)...)...)
	if err != nil {
		return nil, fmt.Errorf("subscriber counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t int64
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			return nil, err
		}
		out[t] = n
	}
	return out, rows.Err()
}
