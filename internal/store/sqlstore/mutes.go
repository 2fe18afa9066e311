package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"quire/internal/archive"
	"quire/internal/store"
)

var _ store.Mutes = (*Store)(nil)

// MutedTags lists the ids of the tags the user muted.
func (s *Store) MutedTags(ctx context.Context, userID int64) ([]int64, error) {
	return s.idList(ctx, fmt.Sprintf("muted tags of user %d", userID), `SELECT tag_id FROM muted_tags WHERE user_id = ? ORDER BY tag_id`, userID)
}

// MutedUsers lists the ids of the users the user muted.
func (s *Store) MutedUsers(ctx context.Context, userID int64) ([]int64, error) {
	return s.idList(ctx, fmt.Sprintf("muted users of user %d", userID), `SELECT muted_id FROM muted_users WHERE user_id = ? ORDER BY muted_id`, userID)
}

// SetMutedTags replaces the user's muted tags.
func (s *Store) SetMutedTags(ctx context.Context, userID int64, tagIDs []int64) error {
	return s.replaceIDs(ctx, fmt.Sprintf("mute tags for user %d", userID), `DELETE FROM muted_tags WHERE user_id = ?`,
		`INSERT INTO muted_tags (user_id, tag_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, userID, tagIDs)
}

// SetMutedUsers replaces the user's muted users.
func (s *Store) SetMutedUsers(ctx context.Context, userID int64, mutedIDs []int64) error {
	return s.replaceIDs(ctx, fmt.Sprintf("mute users for user %d", userID), `DELETE FROM muted_users WHERE user_id = ?`,
		`INSERT INTO muted_users (user_id, muted_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, userID, mutedIDs)
}

func (s *Store) idList(ctx context.Context, what, query string, args ...any) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	ids, err := collectIDs(rows)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if ids == nil {
		ids = []int64{}
	}
	return ids, nil
}

func (s *Store) replaceIDs(ctx context.Context, what, del, ins string, userID int64, ids []int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, del, userID); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, ins, userID, id); err != nil {
				if isForeignKey(err) {
					return fmt.Errorf("%s: %d: %w", what, id, archive.ErrNotFound)
				}
				return fmt.Errorf("%s: %w", what, err)
			}
		}
		return nil
	})
}
