package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"quire/internal/archive"
)

func (s *Store) Bio(ctx context.Context, userID int64) (archive.Rich, error) {
	var r archive.Rich
	var f string
	err := s.db.QueryRowContext(ctx, `SELECT bio_src, bio_fmt, bio_html FROM user_profiles WHERE user_id = ?`, userID).Scan(&r.Source, &f, &r.HTML)
	if errors.Is(err, sql.ErrNoRows) {
		return archive.Rich{}, nil
	}
	if err != nil {
		return archive.Rich{}, fmt.Errorf("bio of user %d: %w", userID, err)
	}
	r.Format = archive.Format(f)
	return r, nil
}

func (s *Store) SetBio(ctx context.Context, userID int64, bio archive.Rich) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return setBio(ctx, tx, userID, bio) })
}

// setBio writes (or, for an empty bio, removes) the account's profile row.
func setBio(ctx context.Context, q queryer, userID int64, bio archive.Rich) error {
	if bio.IsEmpty() {
		_, err := q.ExecContext(ctx, `DELETE FROM user_profiles WHERE user_id = ?`, userID)
		return err
	}
	_, err := q.ExecContext(ctx, `INSERT INTO user_profiles (user_id, bio_src, bio_fmt, bio_html) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET bio_src = excluded.bio_src, bio_fmt = excluded.bio_fmt, bio_html = excluded.bio_html`,
		userID, bio.Source, string(bio.Format), bio.HTML)
	if isForeignKey(err) {
		return fmt.Errorf("user %d: %w", userID, archive.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("save bio of user %d: %w", userID, err)
	}
	return nil
}
