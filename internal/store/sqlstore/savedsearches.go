package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

var _ store.SavedSearches = (*Store)(nil)

const savedSearchCols = `id, user_id, name, params, is_default, digest, digest_since, feed_token, created_at, updated_at`

func scanSavedSearch(sc interface{ Scan(...any) error }) (store.SavedSearch, error) {
	var s store.SavedSearch
	var def int
	var since, created, updated int64
	err := sc.Scan(&s.ID, &s.UserID, &s.Name, &s.Params, &def, &s.Digest, &since, &s.FeedToken, &created, &updated)
	s.Default = def != 0
	s.DigestSince, s.CreatedAt, s.UpdatedAt = fromUnix(since), fromUnix(created), fromUnix(updated)
	return s, err
}

// SavedSearches lists a reader's searches, oldest first.
func (s *Store) SavedSearches(ctx context.Context, userID int64) ([]store.SavedSearch, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+savedSearchCols+` FROM saved_searches WHERE user_id = ? ORDER BY id`, userID)
	if err != nil {
		return nil, fmt.Errorf("saved searches of user %d: %w", userID, err)
	}
	defer rows.Close()
	out := []store.SavedSearch{}
	for rows.Next() {
		ss, err := scanSavedSearch(rows)
		if err != nil {
			return nil, fmt.Errorf("saved searches of user %d: %w", userID, err)
		}
		out = append(out, ss)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("saved searches of user %d: %w", userID, err)
	}
	return out, nil
}

// SavedSearch is one of a reader's searches.
func (s *Store) SavedSearch(ctx context.Context, userID, id int64) (*store.SavedSearch, error) {
	ss, err := scanSavedSearch(s.db.QueryRowContext(ctx, `SELECT `+savedSearchCols+` FROM saved_searches WHERE user_id = ? AND id = ?`, userID, id))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("saved search %d", id))
	}
	return &ss, nil
}

// SavedSearchByToken is the search a feed token opens.
func (s *Store) SavedSearchByToken(ctx context.Context, token string) (*store.SavedSearch, error) {
	ss, err := scanSavedSearch(s.db.QueryRowContext(ctx, `SELECT `+savedSearchCols+` FROM saved_searches WHERE feed_token = ?`, token))
	if err != nil {
		return nil, notFound(err, "saved search feed token")
	}
	return &ss, nil
}

// PutSavedSearch inserts or updates a search.
func (s *Store) PutSavedSearch(ctx context.Context, ss *store.SavedSearch) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if ss.Default {
			if _, err := tx.ExecContext(ctx, `UPDATE saved_searches SET is_default = 0 WHERE user_id = ? AND is_default = 1 AND id <> ?`, ss.UserID, ss.ID); err != nil {
				return fmt.Errorf("saved search default: %w", err)
			}
		}
		var err error
		if ss.ID == 0 {
			err = tx.QueryRowContext(ctx, `INSERT INTO saved_searches (user_id, name, params, is_default, digest, digest_since, feed_token, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				ss.UserID, ss.Name, ss.Params, b2i(ss.Default), ss.Digest, unix(ss.DigestSince), ss.FeedToken, unix(ss.CreatedAt), unix(ss.UpdatedAt)).Scan(&ss.ID)
		} else {
			var res sql.Result
			res, err = tx.ExecContext(ctx, `UPDATE saved_searches SET name = ?, params = ?, is_default = ?, digest = ?, digest_since = ?, feed_token = ?, updated_at = ?
				WHERE id = ? AND user_id = ?`,
				ss.Name, ss.Params, b2i(ss.Default), ss.Digest, unix(ss.DigestSince), ss.FeedToken, unix(ss.UpdatedAt), ss.ID, ss.UserID)
			if err == nil {
				if n, _ := res.RowsAffected(); n == 0 {
					return fmt.Errorf("saved search %d: %w", ss.ID, archive.ErrNotFound)
				}
			}
		}
		if isUnique(err) {
			return fmt.Errorf("saved search: %w", archive.ErrConflict)
		}
		if isForeignKey(err) {
			return fmt.Errorf("saved search of user %d: %w", ss.UserID, archive.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("save search: %w", err)
		}
		return nil
	})
}

// DeleteSavedSearch removes one of a reader's searches.
func (s *Store) DeleteSavedSearch(ctx context.Context, userID, id int64) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM saved_searches WHERE user_id = ? AND id = ?`, userID, id)
	if err != nil {
		return fmt.Errorf("delete saved search %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("saved search %d: %w", id, archive.ErrNotFound)
	}
	return nil
}

// DigestReaders lists the readers due a digest of the frequency for the period.
func (s *Store) DigestReaders(ctx context.Context, frequency, period string) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT s.user_id FROM saved_searches s
		WHERE s.digest = ? AND NOT EXISTS (SELECT 1 FROM digest_sends d WHERE d.user_id = s.user_id AND d.period = ?)
		ORDER BY s.user_id`, frequency, period)
	if err != nil {
		return nil, fmt.Errorf("digest readers: %w", err)
	}
	return scanColumn[int64](rows)
}

// LastDigest is when the reader's last digest of the frequency was sent.
func (s *Store) LastDigest(ctx context.Context, userID int64, frequency string) (time.Time, error) {
	var at sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT MAX(sent_at) FROM digest_sends WHERE user_id = ? AND frequency = ?`, userID, frequency).Scan(&at)
	if err != nil {
		return time.Time{}, fmt.Errorf("last digest of user %d: %w", userID, err)
	}
	if !at.Valid {
		return time.Time{}, nil
	}
	return fromUnix(at.Int64), nil
}

// RecordDigest records a digest and queues its mail in one transaction.
func (s *Store) RecordDigest(ctx context.Context, d store.DigestSend, mailKind string, mailPayload []byte) (bool, error) {
	sent := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO digest_sends (user_id, period, frequency, sent_at, works) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			d.UserID, d.Period, d.Frequency, unix(d.SentAt), d.Works)
		if err != nil {
			return fmt.Errorf("record digest: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		sent = true
		if mailKind == "" {
			return nil
		}
		// Due at once, by the job runners' clock.
		now := time.Now().Unix()
		if _, err := tx.ExecContext(ctx, `INSERT INTO jobs (kind, payload, run_at, created_at) VALUES (?, ?, ?, ?)`,
			mailKind, string(mailPayload), now, now); err != nil {
			return fmt.Errorf("queue digest mail: %w", err)
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	return sent, nil
}
