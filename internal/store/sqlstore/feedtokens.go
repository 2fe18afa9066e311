package sqlstore

import (
	"context"
	"fmt"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

var _ store.FeedTokens = (*Store)(nil)

// FeedToken is the user's feed token.
func (s *Store) FeedToken(ctx context.Context, userID int64) (string, error) {
	var token string
	err := s.db.QueryRowContext(ctx, `SELECT token FROM feed_tokens WHERE user_id = ?`, userID).Scan(&token)
	if err != nil {
		return "", notFound(err, fmt.Sprintf("feed token of user %d", userID))
	}
	return token, nil
}

// SetFeedToken gives the user a new feed token, replacing the old one.
func (s *Store) SetFeedToken(ctx context.Context, userID int64, token string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO feed_tokens (user_id, token, created_at) VALUES (?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET token = excluded.token, created_at = excluded.created_at`, userID, token, unix(at))
	if isUnique(err) {
		return fmt.Errorf("feed token of user %d: %w", userID, archive.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("set feed token of user %d: %w", userID, err)
	}
	return nil
}

// FeedTokenUser is the owner of a feed token.
func (s *Store) FeedTokenUser(ctx context.Context, token string) (*archive.User, error) {
	var userID int64
	err := s.db.QueryRowContext(ctx, `SELECT user_id FROM feed_tokens WHERE token = ?`, token).Scan(&userID)
	if err != nil {
		return nil, notFound(err, "feed token")
	}
	return s.UserByID(ctx, userID)
}
