package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"quire/internal/archive"
)

// OrphanPseud is the byline of works whose creator left with them orphaned.
const OrphanPseud = "orphan_account"

func userKey(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// CreateUser inserts the user and its default pseud.
func (s *Store) CreateUser(ctx context.Context, u *archive.User) error {
	prefs, _ := json.Marshal(u.Preferences)
	if u.CreatedAt.IsZero() {
		u.CreatedAt = time.Now().UTC()
	}
	return s.tx(ctx, func(tx *sql.Tx) error { return insertUser(ctx, tx, u, string(prefs)) })
}

// insertUser inserts u and its default pseud in tx.
func insertUser(ctx context.Context, tx *sql.Tx, u *archive.User, prefs string) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO users (name, name_key, email, email_key, password_hash, roles, preferences, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		u.Name, userKey(u.Name), u.Email, userKey(u.Email), u.PasswordHash, strings.Join(u.Roles, ","), prefs, unix(u.CreatedAt)).Scan(&u.ID)
	if isUnique(err) {
		return fmt.Errorf("user %q or e-mail %q is taken: %w", u.Name, u.Email, archive.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("insert user: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO pseuds (user_id, name, name_key, is_default, created_at) VALUES (?, ?, ?, 1, ?)`,
		u.ID, u.Name, userKey(u.Name), unix(u.CreatedAt))
	if isUnique(err) {
		return fmt.Errorf("pseud %q is taken: %w", u.Name, archive.ErrConflict)
	}
	return err
}

const userCols = `id, name, email, password_hash, roles, preferences, created_at, suspended_until, banned, moderation_reason`

func scanUser(row interface{ Scan(...any) error }) (*archive.User, error) {
	var u archive.User
	var roles, prefs string
	var created, suspended int64
	var banned int
	if err := row.Scan(&u.ID, &u.Name, &u.Email, &u.PasswordHash, &roles, &prefs, &created, &suspended, &banned, &u.ModerationReason); err != nil {
		return nil, err
	}
	if suspended != 0 {
		u.SuspendedUntil = fromUnix(suspended)
	}
	u.Banned = banned != 0
	if roles != "" {
		u.Roles = strings.Split(roles, ",")
	}
	_ = json.Unmarshal([]byte(prefs), &u.Preferences)
	u.CreatedAt = fromUnix(created)
	return &u, nil
}

func (s *Store) userWhere(ctx context.Context, where string, arg any) (*archive.User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE `+where, arg))
	if err != nil {
		return nil, notFound(err, "user")
	}
	return u, nil
}

func (s *Store) UserByID(ctx context.Context, id int64) (*archive.User, error) {
	return s.userWhere(ctx, `id = ?`, id)
}

func (s *Store) UserByName(ctx context.Context, name string) (*archive.User, error) {
	return s.userWhere(ctx, `name_key = ?`, userKey(name))
}

func (s *Store) UserByEmail(ctx context.Context, email string) (*archive.User, error) {
	return s.userWhere(ctx, `email_key = ?`, userKey(email))
}

func (s *Store) updateUser(ctx context.Context, id int64, set string, args ...any) error {
	res, err := s.db.ExecContext(ctx, `UPDATE users SET `+set+` WHERE id = ?`, append(args, id)...)
	if isUnique(err) {
		return fmt.Errorf("update user: %w", archive.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("update user %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("user %d: %w", id, archive.ErrNotFound)
	}
	return nil
}

func (s *Store) SetUserEmail(ctx context.Context, id int64, email string) error {
	return s.updateUserVoidingResets(ctx, id, `email = ?, email_key = ?`, email, userKey(email))
}

func (s *Store) SetUserPassword(ctx context.Context, id int64, hash string) error {
	return s.updateUserVoidingResets(ctx, id, `password_hash = ?`, hash)
}

// updateUserVoidingResets changes a user's credentials and, in the same
// transaction, voids every password-reset link still outstanding for the
// account: a link mailed before the change must not undo it.
func (s *Store) updateUserVoidingResets(ctx context.Context, id int64, set string, args ...any) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET `+set+` WHERE id = ?`, append(args, id)...)
		if isUnique(err) {
			return fmt.Errorf("update user: %w", archive.ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("update user %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("user %d: %w", id, archive.ErrNotFound)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM password_resets WHERE user_id = ? AND used_at IS NULL`, id); err != nil {
			return fmt.Errorf("void password resets: %w", err)
		}
		return nil
	})
}

func (s *Store) SetUserRoles(ctx context.Context, id int64, roles []string) error {
	return s.updateUser(ctx, id, `roles = ?`, strings.Join(roles, ","))
}

func (s *Store) SetPreferences(ctx context.Context, id int64, p archive.Preferences) error {
	b, _ := json.Marshal(p)
	return s.updateUser(ctx, id, `preferences = ?`, string(b))
}

// orphanPseudID returns the id of the shared orphan pseud, creating it.
func orphanPseudID(ctx context.Context, tx *sql.Tx) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM pseuds WHERE user_id IS NULL AND name_key = ?`, OrphanPseud).Scan(&id)
	if err == nil {
		return id, nil
	}
	if err != sql.ErrNoRows {
		return 0, err
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO pseuds (user_id, name, name_key, is_default, created_at) VALUES (NULL, ?, ?, 0, ?) RETURNING id`,
		OrphanPseud, OrphanPseud, time.Now().Unix()).Scan(&id)
	return id, err
}

// DeleteUser removes the account. With orphan, its posted works and its
// series go to orphan_account by the same path as OrphanWorks (co-created
// ones lose only this creator); its drafts, which were never public, are
// deleted or leave their co-creators as without orphan.
func (s *Store) DeleteUser(ctx context.Context, id int64, orphan bool) (deleted, changed []int64, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		deleted, changed = nil, nil
		if orphan {
			rows, err := tx.QueryContext(ctx, `SELECT DISTINCT wc.work_id FROM work_creators wc JOIN pseuds p ON p.id = wc.pseud_id
				JOIN works w ON w.id = wc.work_id WHERE p.user_id = ? AND w.draft = 0 ORDER BY wc.work_id`, id)
			if err != nil {
				return err
			}
			works, err := collectIDs(rows)
			if err != nil {
				return err
			}
			rows, err = tx.QueryContext(ctx, `SELECT DISTINCT sc.series_id FROM series_creators sc JOIN pseuds p ON p.id = sc.pseud_id WHERE p.user_id = ?`, id)
			if err != nil {
				return err
			}
			series, err := collectIDs(rows)
			if err != nil {
				return err
			}
			if changed, err = orphanWorks(ctx, tx, id, works, series, false); err != nil {
				return err
			}
		}
		rows, err := tx.QueryContext(ctx, `SELECT wc.work_id,
				(SELECT COUNT(*) FROM work_creators o JOIN pseuds op ON op.id = o.pseud_id
				 WHERE o.work_id = wc.work_id AND (op.user_id IS NULL OR op.user_id <> ?))
			FROM work_creators wc JOIN pseuds p ON p.id = wc.pseud_id WHERE p.user_id = ? GROUP BY wc.work_id`, id, id)
		if err != nil {
			return err
		}
		var solo, shared []int64
		for rows.Next() {
			var wid int64
			var others int
			if err := rows.Scan(&wid, &others); err != nil {
				rows.Close()
				return err
			}
			if others == 0 {
				solo = append(solo, wid)
			} else {
				shared = append(shared, wid)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, wid := range solo {
			if err := deleteWork(ctx, tx, wid); err != nil {
				return err
			}
		}
		deleted = solo
		for _, wid := range shared {
			if _, err := tx.ExecContext(ctx, `DELETE FROM work_creators WHERE work_id = ? AND pseud_id IN (SELECT id FROM pseuds WHERE user_id = ?)`, wid, id); err != nil {
				return err
			}
			if err := refreshByline(ctx, tx, wid); err != nil {
				return err
			}
		}
		changed = append(changed, shared...)
		if _, err := tx.ExecContext(ctx, `DELETE FROM pseuds WHERE user_id = ?`, id); err != nil {
			return fmt.Errorf("delete pseuds: %w", err)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM users WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("delete user: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("user %d: %w", id, archive.ErrNotFound)
		}
		return nil
	})
	return deleted, changed, err
}

func (s *Store) Pseuds(ctx context.Context, userID int64) ([]archive.Pseud, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, user_id, name, is_default FROM pseuds WHERE user_id = ? ORDER BY is_default DESC, name_key`, userID)
	if err != nil {
		return nil, fmt.Errorf("pseuds: %w", err)
	}
	defer rows.Close()
	var out []archive.Pseud
	for rows.Next() {
		var p archive.Pseud
		if err := rows.Scan(&p.ID, &p.UserID, &p.Name, &p.IsDefault); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func (s *Store) CreateSession(ctx context.Context, hash string, userID int64, expires time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		hash, userID, time.Now().Unix(), expires.Unix())
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

func (s *Store) SessionUser(ctx context.Context, hash string, now time.Time) (*archive.User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, `SELECT u.id, u.name, u.email, u.password_hash, u.roles, u.preferences, u.created_at, u.suspended_until, u.banned, u.moderation_reason
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ? AND u.banned = 0`, hash, now.Unix()))
	if err != nil {
		return nil, notFound(err, "session")
	}
	return u, nil
}

func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hash)
	return err
}

func (s *Store) DeleteUserSessions(ctx context.Context, userID int64, except string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`, userID, except)
	return err
}

func (s *Store) CreateToken(ctx context.Context, hash string, userID int64, name string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES (?, ?, ?, ?)`,
		hash, userID, name, time.Now().Unix())
	if err != nil {
		return fmt.Errorf("create token: %w", err)
	}
	return nil
}

func (s *Store) TokenUser(ctx context.Context, hash string) (*archive.User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, `SELECT u.id, u.name, u.email, u.password_hash, u.roles, u.preferences, u.created_at, u.suspended_until, u.banned, u.moderation_reason
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND u.banned = 0`, hash))
	if err != nil {
		return nil, notFound(err, "token")
	}
	return u, nil
}

func (s *Store) CreatePasswordReset(ctx context.Context, hash string, userID int64, expires time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES (?, ?, ?)`, hash, userID, expires.Unix())
	return err
}

func (s *Store) ConsumePasswordReset(ctx context.Context, hash string, now time.Time) (int64, error) {
	var uid int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING user_id`,
			now.Unix(), hash, now.Unix()).Scan(&uid)
		if err != nil {
			return notFound(err, "password reset")
		}
		return nil
	})
	return uid, err
}
