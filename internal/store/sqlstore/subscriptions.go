package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"quire/internal/archive"
	"quire/internal/store"
)

var _ store.Subscriptions = (*Store)(nil)

const subCols = `id, user_id, kind, target, created_at`

func scanSub(row interface{ Scan(...any) error }) (*store.Subscription, error) {
	var sub store.Subscription
	var created int64
	if err := row.Scan(&sub.ID, &sub.UserID, &sub.Kind, &sub.Target, &created); err != nil {
		return nil, err
	}
	sub.CreatedAt = fromUnix(created)
	return &sub, nil
}

func (s *Store) Subscribe(ctx context.Context, sub *store.Subscription) error {
	err := s.db.QueryRowContext(ctx, `INSERT INTO subscriptions (user_id, kind, target, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		sub.UserID, sub.Kind, sub.Target, unix(sub.CreatedAt)).Scan(&sub.ID)
	if isUnique(err) {
		return fmt.Errorf("subscription to %s %d: %w", sub.Kind, sub.Target, archive.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("subscribe to %s %d: %w", sub.Kind, sub.Target, err)
	}
	return nil
}

func (s *Store) Unsubscribe(ctx context.Context, userID int64, kind string, target int64) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM subscriptions WHERE user_id = ? AND kind = ? AND target = ?`, userID, kind, target)
	if err != nil {
		return fmt.Errorf("unsubscribe from %s %d: %w", kind, target, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("subscription to %s %d: %w", kind, target, archive.ErrNotFound)
	}
	return nil
}

func (s *Store) Subscription(ctx context.Context, id int64) (*store.Subscription, error) {
	sub, err := scanSub(s.db.QueryRowContext(ctx, `SELECT `+subCols+` FROM subscriptions WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err, "subscription")
	}
	return sub, nil
}

func (s *Store) SubscriptionOf(ctx context.Context, userID int64, kind string, target int64) (*store.Subscription, error) {
	sub, err := scanSub(s.db.QueryRowContext(ctx, `SELECT `+subCols+` FROM subscriptions WHERE user_id = ? AND kind = ? AND target = ?`, userID, kind, target))
	if err != nil {
		return nil, notFound(err, "subscription")
	}
	return sub, nil
}

func (s *Store) querySubs(ctx context.Context, query string, args ...any) ([]*store.Subscription, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.Subscription
	for rows.Next() {
		sub, err := scanSub(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sub)
	}
	return out, rows.Err()
}

func (s *Store) SubscriptionsByUser(ctx context.Context, userID int64) ([]*store.Subscription, error) {
	out, err := s.querySubs(ctx, `SELECT `+subCols+` FROM subscriptions WHERE user_id = ? ORDER BY id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("subscriptions of user %d: %w", userID, err)
	}
	return out, nil
}

func (s *Store) SubscribersOf(ctx context.Context, targets []store.SubTarget) ([]*store.Subscription, error) {
	if len(targets) == 0 {
		return nil, nil
	}
	var where []string
	var args []any
	for _, t := range targets {
		where = append(where, `(kind = ? AND target = ?)`)
		args = append(args, t.Kind, t.Target)
	}
	out, err := s.querySubs(ctx, `SELECT `+subCols+` FROM subscriptions WHERE `+strings.Join(where, " OR ")+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("subscribers: %w", err)
	}
	return out, nil
}

func (s *Store) NotifySecret(ctx context.Context) (string, error) {
	var secret string
	err := s.db.QueryRowContext(ctx, `SELECT secret FROM notify_secret WHERE id = 1`).Scan(&secret)
	if err == sql.ErrNoRows || (err == nil && secret == "") {
		return "", fmt.Errorf("notify secret: missing")
	}
	if err != nil {
		return "", fmt.Errorf("notify secret: %w", err)
	}
	return secret, nil
}
