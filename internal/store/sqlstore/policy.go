package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

func (s *Store) Settings(ctx context.Context) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT key, value FROM settings`)
	if err != nil {
		return nil, fmt.Errorf("settings: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

func (s *Store) SetSettings(ctx context.Context, kv map[string]string, audit ...*archive.AuditEntry) error {
	return s.writeSettings(ctx, kv, `ON CONFLICT (key) DO UPDATE SET value = excluded.value`, audit)
}

func (s *Store) InitSettings(ctx context.Context, kv map[string]string) error {
	return s.writeSettings(ctx, kv, `ON CONFLICT (key) DO NOTHING`, nil)
}

func (s *Store) writeSettings(ctx context.Context, kv map[string]string, conflict string, audit []*archive.AuditEntry) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		for k, v := range kv {
			if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) `+conflict, k, v); err != nil {
				return fmt.Errorf("setting %s: %w", k, err)
			}
		}
		return appendAudits(ctx, tx, "settings", audit)
	})
}

func (s *Store) QueueInviteRequest(ctx context.Context, email string, at time.Time) (int, error) {
	var place int
	err := s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO invite_requests (email, email_key, created_at) VALUES (?, ?, ?) ON CONFLICT (email_key) DO NOTHING`,
			email, userKey(email), unix(at))
		if err != nil {
			return fmt.Errorf("queue invite request: %w", err)
		}
		place, err = inviteRequestPlace(ctx, tx, email)
		return err
	})
	return place, err
}

func inviteRequestPlace(ctx context.Context, q queryer, email string) (int, error) {
	var place int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM invite_requests WHERE id <= (SELECT id FROM invite_requests WHERE email_key = ?)`,
		userKey(email)).Scan(&place)
	if err != nil {
		return 0, fmt.Errorf("invite request place: %w", err)
	}
	if place == 0 {
		return 0, fmt.Errorf("invite request: %w", archive.ErrNotFound)
	}
	return place, nil
}

func (s *Store) InviteRequestPlace(ctx context.Context, email string) (int, error) {
	return inviteRequestPlace(ctx, s.db, email)
}

func (s *Store) InviteRequests(ctx context.Context, limit int) ([]store.InviteRequest, int, error) {
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM invite_requests`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count invite requests: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, email, created_at FROM invite_requests ORDER BY id LIMIT ?`, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("invite requests: %w", err)
	}
	defer rows.Close()
	var out []store.InviteRequest
	for rows.Next() {
		var r store.InviteRequest
		var at int64
		if err := rows.Scan(&r.ID, &r.Email, &at); err != nil {
			return nil, 0, err
		}
		r.CreatedAt = fromUnix(at)
		out = append(out, r)
	}
	return out, total, rows.Err()
}

func (s *Store) DeleteInviteRequest(ctx context.Context, email string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM invite_requests WHERE email_key = ?`, userKey(email)); err != nil {
		return fmt.Errorf("delete invite request: %w", err)
	}
	return nil
}

func (s *Store) CreateInvitation(ctx context.Context, inv *archive.Invitation, tokenHash string, audit ...*archive.AuditEntry) error {
	if inv.CreatedAt.IsZero() {
		inv.CreatedAt = inv.SentAt
	}
	var owner any
	if inv.OwnerID > 0 {
		owner = inv.OwnerID
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO invitations (owner_id, email, token_hash, created_at, sent_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			owner, inv.Email, tokenHash, unix(inv.CreatedAt), unix(inv.SentAt)).Scan(&inv.ID)
		if err != nil {
			return fmt.Errorf("create invitation: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM invite_requests WHERE email_key = ?`, userKey(inv.Email)); err != nil {
			return fmt.Errorf("delete invite request: %w", err)
		}
		return appendAudits(ctx, tx, "invitation:"+strconv.FormatInt(inv.ID, 10), audit)
	})
}

func (s *Store) GiveInvitations(ctx context.Context, ownerID int64, n int, at time.Time, audit ...*archive.AuditEntry) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		for i := 0; i < n; i++ {
			_, err := tx.ExecContext(ctx, `INSERT INTO invitations (owner_id, created_at) VALUES (?, ?)`, ownerID, unix(at))
			if isForeignKey(err) {
				return fmt.Errorf("user %d: %w", ownerID, archive.ErrNotFound)
			}
			if err != nil {
				return fmt.Errorf("give invitations: %w", err)
			}
		}
		return appendAudits(ctx, tx, "", audit)
	})
}

func (s *Store) SendOwnedInvitation(ctx context.Context, ownerID int64, email, tokenHash string, at time.Time) (*archive.Invitation, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `UPDATE invitations SET email = ?, token_hash = ?, sent_at = ?
			WHERE id = (SELECT MIN(id) FROM invitations WHERE owner_id = ? AND sent_at = 0) AND sent_at = 0 RETURNING id`,
			email, tokenHash, unix(at), ownerID).Scan(&id)
		if err != nil {
			return notFound(err, "unsent invitation")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &archive.Invitation{ID: id, OwnerID: ownerID, Email: email, SentAt: at}, nil
}

const invitationCols = `i.id, COALESCE(i.owner_id, 0), i.email, i.created_at, i.sent_at, i.used_at, COALESCE(u.name, '')`

func scanInvitation(row interface{ Scan(...any) error }) (*archive.Invitation, error) {
	var inv archive.Invitation
	var created, sent, used int64
	if err := row.Scan(&inv.ID, &inv.OwnerID, &inv.Email, &created, &sent, &used, &inv.UsedBy); err != nil {
		return nil, err
	}
	inv.CreatedAt, inv.SentAt, inv.UsedAt = fromUnix(created), fromUnix(sent), fromUnix(used)
	return &inv, nil
}

func (s *Store) Invitations(ctx context.Context, ownerID int64, limit int) ([]archive.Invitation, error) {
	q := `SELECT ` + invitationCols + ` FROM invitations i LEFT JOIN users u ON u.id = i.used_by`
	args := []any{}
	if ownerID > 0 {
		q += ` WHERE i.owner_id = ?`
		args = append(args, ownerID)
	}
	q += ` ORDER BY i.id DESC LIMIT ?`
	rows, err := s.db.QueryContext(ctx, q, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("invitations: %w", err)
	}
	defer rows.Close()
	var out []archive.Invitation
	for rows.Next() {
		inv, err := scanInvitation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *inv)
	}
	return out, rows.Err()
}

func (s *Store) InvitationByToken(ctx context.Context, tokenHash string) (*archive.Invitation, error) {
	inv, err := scanInvitation(s.db.QueryRowContext(ctx, `SELECT `+invitationCols+` FROM invitations i LEFT JOIN users u ON u.id = i.used_by
		WHERE i.token_hash = ? AND i.used_at = 0`, tokenHash))
	if err != nil {
		return nil, notFound(err, "invitation")
	}
	return inv, nil
}

func (s *Store) CreateInvitedUser(ctx context.Context, u *archive.User, tokenHash string, at time.Time) error {
	prefs, _ := json.Marshal(u.Preferences)
	if u.CreatedAt.IsZero() {
		u.CreatedAt = at
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `UPDATE invitations SET used_at = ? WHERE token_hash = ? AND used_at = 0 RETURNING id`,
			unix(at), tokenHash).Scan(&id)
		if err != nil {
			return notFound(err, "invitation")
		}
		if err := insertUser(ctx, tx, u, string(prefs)); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE invitations SET used_by = ? WHERE id = ?`, u.ID, id)
		return err
	})
}

func (s *Store) SetEmailVerification(ctx context.Context, userID int64, tokenHash string, expires time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO email_verifications (user_id, token_hash, expires_at) VALUES (?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, expires_at = excluded.expires_at`,
		userID, tokenHash, unix(expires))
	if isForeignKey(err) {
		return fmt.Errorf("user %d: %w", userID, archive.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("set e-mail verification: %w", err)
	}
	return nil
}

func (s *Store) EmailUnverified(ctx context.Context, userID int64) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM email_verifications WHERE user_id = ?`, userID).Scan(&n); err != nil {
		return false, fmt.Errorf("e-mail verification: %w", err)
	}
	return n > 0, nil
}

func (s *Store) EmailVerification(ctx context.Context, tokenHash string) (int64, time.Time, error) {
	var uid, exp int64
	err := s.db.QueryRowContext(ctx, `SELECT user_id, expires_at FROM email_verifications WHERE token_hash = ?`, tokenHash).Scan(&uid, &exp)
	if err != nil {
		return 0, time.Time{}, notFound(err, "e-mail verification")
	}
	return uid, fromUnix(exp), nil
}

func (s *Store) DeleteEmailVerification(ctx context.Context, userID int64) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM email_verifications WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("delete e-mail verification: %w", err)
	}
	return nil
}

func (s *Store) WorksAwaitingReview(ctx context.Context) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT work_id FROM work_reviews ORDER BY created_at, work_id`)
	if err != nil {
		return nil, fmt.Errorf("works awaiting review: %w", err)
	}
	return collectIDs(rows)
}

func (s *Store) ApproveWork(ctx context.Context, workID int64, audit ...*archive.AuditEntry) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := endReview(ctx, tx, workID); err != nil {
			return err
		}
		return appendAudits(ctx, tx, "work:"+strconv.FormatInt(workID, 10), audit)
	})
}

func (s *Store) RejectWork(ctx context.Context, workID int64, reason string, audit ...*archive.AuditEntry) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := endReview(ctx, tx, workID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE works SET hidden = 1, hidden_reason = ?, hidden_by_ban = 0 WHERE id = ?`, reason, workID)
		if err := exactlyOne(res, err, fmt.Sprintf("work %d", workID)); err != nil {
			return err
		}
		return appendAudits(ctx, tx, "work:"+strconv.FormatInt(workID, 10), audit)
	})
}

// endReview takes a work out of the review queue, or is archive.ErrNotFound
// when it is not in it.
func endReview(ctx context.Context, tx *sql.Tx, workID int64) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM work_reviews WHERE work_id = ?`, workID)
	if err != nil {
		return fmt.Errorf("end review of work %d: %w", workID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("work %d awaiting review: %w", workID, archive.ErrNotFound)
	}
	return nil
}

func (s *Store) MarkSelfSignup(ctx context.Context, userID int64) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO self_signups (user_id) VALUES (?) ON CONFLICT (user_id) DO NOTHING`, userID)
	if isForeignKey(err) {
		return fmt.Errorf("user %d: %w", userID, archive.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("mark self sign-up: %w", err)
	}
	return nil
}

func (s *Store) SelfSignup(ctx context.Context, userID int64) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM self_signups WHERE user_id = ?`, userID).Scan(&n); err != nil {
		return false, fmt.Errorf("self sign-up: %w", err)
	}
	return n > 0, nil
}
