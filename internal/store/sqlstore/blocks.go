package sqlstore

import (
	"context"
	"fmt"
	"time"

	"quire/internal/archive"
)

func (s *Store) Block(ctx context.Context, blockerID, blockedID int64, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES (?, ?, ?)`, blockerID, blockedID, unix(at))
	if isUnique(err) {
		return fmt.Errorf("block user %d: %w", blockedID, archive.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("block user %d: %w", blockedID, err)
	}
	return nil
}

func (s *Store) Unblock(ctx context.Context, blockerID, blockedID int64) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM blocks WHERE blocker_id = ? AND blocked_id = ?`, blockerID, blockedID)
	if err != nil {
		return fmt.Errorf("unblock user %d: %w", blockedID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("block of user %d: %w", blockedID, archive.ErrNotFound)
	}
	return nil
}

func (s *Store) IsBlocked(ctx context.Context, blockers []int64, blockedID int64) (bool, error) {
	if len(blockers) == 0 || blockedID <= 0 {
		return false, nil
	}
	var n int
	args := append(int64Args(blockers), blockedID)
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM blocks WHERE blocker_id IN (`+placeholders(len(blockers))+`) AND blocked_id = ?`, args...).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("blocks of user %d: %w", blockedID, err)
	}
	return n > 0, nil
}

func (s *Store) BlockedUsers(ctx context.Context, blockerID int64) ([]string, error) {
	names, err := collectStrings(ctx, s.db, `SELECT u.name FROM blocks b JOIN users u ON u.id = b.blocked_id WHERE b.blocker_id = ? ORDER BY u.name_key`, blockerID)
	if err != nil {
		return nil, fmt.Errorf("blocked users of %d: %w", blockerID, err)
	}
	return names, nil
}
