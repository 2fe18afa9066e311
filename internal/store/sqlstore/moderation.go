package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

var _ store.Moderation = (*Store)(nil)

// appendAudit writes e inside tx, setting its ID (and At when unset).
func appendAudit(ctx context.Context, tx queryer, e *archive.AuditEntry) error {
	if e.At.IsZero() {
		e.At = time.Now().UTC()
	}
	e.At = e.At.Truncate(time.Second)
	err := tx.QueryRowContext(ctx, `INSERT INTO audit_log (actor, action, target, reason, at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		e.Actor, e.Action, e.Target, e.Reason, e.At.Unix()).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("audit %s %s: %w", e.Action, e.Target, err)
	}
	return nil
}

// appendAudits writes each entry that is not nil inside tx; an entry with
// no Target is given target (the row the transaction made, as KIND:ID).
func appendAudits(ctx context.Context, tx queryer, target string, es []*archive.AuditEntry) error {
	for _, e := range es {
		if e == nil {
			continue
		}
		if e.Target == "" {
			e.Target = target
		}
		if err := appendAudit(ctx, tx, e); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) AppendAudit(ctx context.Context, e *archive.AuditEntry) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return appendAudit(ctx, tx, e) })
}

func (s *Store) AuditLog(ctx context.Context, f store.AuditFilter) ([]archive.AuditEntry, int, error) {
	where, args := []string{"1 = 1"}, []any{}
	for _, c := range []struct{ col, val string }{{"actor", f.Actor}, {"action", f.Action}, {"target", f.Target}} {
		if c.val != "" {
			where = append(where, c.col+" = ?")
			args = append(args, c.val)
		}
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("audit log: %w", err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, actor, action, target, reason, at FROM audit_log WHERE `+cond+` ORDER BY id DESC LIMIT ? OFFSET ?`,
		append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("audit log: %w", err)
	}
	defer rows.Close()
	out := []archive.AuditEntry{}
	for rows.Next() {
		var e archive.AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &e.Actor, &e.Action, &e.Target, &e.Reason, &at); err != nil {
			return nil, 0, fmt.Errorf("audit log: %w", err)
		}
		e.At = fromUnix(at)
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// exactlyOne turns "no row changed" into archive.ErrNotFound.
func exactlyOne(res sql.Result, err error, what string) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%s: %w", what, archive.ErrNotFound)
	}
	return nil
}

func (s *Store) SetWorkHidden(ctx context.Context, workID int64, hidden bool, reason string, e *archive.AuditEntry) error {
	if !hidden {
		reason = ""
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE works SET hidden = ?, hidden_reason = ?, hidden_by_ban = 0 WHERE id = ?`, b2i(hidden), reason, workID)
		if err := exactlyOne(res, err, fmt.Sprintf("work %d", workID)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, e)
	})
}

func (s *Store) SetCommentHidden(ctx context.Context, commentID int64, hidden bool, e *archive.AuditEntry) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE comments SET hidden = ? WHERE id = ?`, b2i(hidden), commentID)
		if err := exactlyOne(res, err, fmt.Sprintf("comment %d", commentID)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, e)
	})
}

func (s *Store) DeleteWorkAudited(ctx context.Context, workID int64, e *archive.AuditEntry) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := deleteWork(ctx, tx, workID); err != nil {
			return err
		}
		return appendAudit(ctx, tx, e)
	})
}

func (s *Store) DeleteCommentAudited(ctx context.Context, commentID int64, e *archive.AuditEntry) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := deleteComment(ctx, tx, commentID); err != nil {
			return err
		}
		return appendAudit(ctx, tx, e)
	})
}

func (s *Store) ChangeUserRole(ctx context.Context, userID int64, role string, add bool, e *archive.AuditEntry) ([]string, error) {
	var roles []string
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var have string
		if err := tx.QueryRowContext(ctx, `SELECT roles FROM users WHERE id = ?`, userID).Scan(&have); err != nil {
			return notFound(err, fmt.Sprintf("user %d", userID))
		}
		roles = nil
		if have != "" {
			roles = strings.Split(have, ",")
		}
		held := slices.Contains(roles, role)
		switch {
		case add && !held:
			roles = append(roles, role)
		case !add && held:
			if role == archive.RoleAdmin {
				// Lock every admin's row first (a no-op update), so two
				// admins demoting each other at once on PostgreSQL cannot
				// both see the other still an admin; SQLite's writers are
				// serialised anyway.
				if _, err := tx.ExecContext(ctx, `UPDATE users SET roles = roles WHERE ',' || roles || ',' LIKE '%,admin,%'`); err != nil {
					return fmt.Errorf("lock admins: %w", err)
				}
				var admins int
				if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE ',' || roles || ',' LIKE '%,admin,%' AND banned = 0`).Scan(&admins); err != nil {
					return fmt.Errorf("count admins: %w", err)
				}
				if admins <= 1 {
					return archive.Invalid("role", "this is the archive's last admin; make another account an admin first")
				}
			}
			roles = slices.DeleteFunc(roles, func(r string) bool { return r == role })
		default:
			return nil // nothing changes, nothing to log
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET roles = ? WHERE id = ?`, strings.Join(roles, ","), userID); err != nil {
			return fmt.Errorf("set roles of user %d: %w", userID, err)
		}
		return appendAudit(ctx, tx, e)
	})
	return roles, err
}

func (s *Store) SuspendUser(ctx context.Context, userID int64, until time.Time, reason string, e *archive.AuditEntry) error {
	if until.IsZero() {
		reason = ""
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET suspended_until = ?, moderation_reason = ? WHERE id = ?`, unix(until), reason, userID)
		if err := exactlyOne(res, err, fmt.Sprintf("user %d", userID)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, e)
	})
}

func (s *Store) EndSuspension(ctx context.Context, userID int64, now time.Time, e *archive.AuditEntry) (bool, error) {
	ended := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET suspended_until = 0, moderation_reason = '' WHERE id = ? AND suspended_until <> 0 AND suspended_until <= ?`,
			userID, now.Unix())
		if err != nil {
			return fmt.Errorf("end suspension of user %d: %w", userID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		ended = true
		return appendAudit(ctx, tx, e)
	})
	return ended, err
}

// userWorkIDs lists the works the user is a creator of.
func userWorkIDs(ctx context.Context, tx *sql.Tx, userID int64) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT wc.work_id FROM work_creators wc JOIN pseuds p ON p.id = wc.pseud_id
		WHERE p.user_id = ? ORDER BY wc.work_id`, userID)
	if err != nil {
		return nil, fmt.Errorf("works of user %d: %w", userID, err)
	}
	return scanColumn[int64](rows)
}

func (s *Store) BanUser(ctx context.Context, userID int64, reason string, spam bool, e *archive.AuditEntry) (store.BanResult, error) {
	var r store.BanResult
	err := s.tx(ctx, func(tx *sql.Tx) error {
		r = store.BanResult{}
		res, err := tx.ExecContext(ctx, `UPDATE users SET banned = 1, suspended_until = 0, moderation_reason = ? WHERE id = ?`, reason, userID)
		if err := exactlyOne(res, err, fmt.Sprintf("user %d", userID)); err != nil {
			return err
		}
		for _, q := range []string{`DELETE FROM sessions WHERE user_id = ?`, `DELETE FROM api_tokens WHERE user_id = ?`} {
			if _, err := tx.ExecContext(ctx, q, userID); err != nil {
				return fmt.Errorf("ban user %d: %w", userID, err)
			}
		}
		ids, err := userWorkIDs(ctx, tx, userID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			q := `UPDATE works SET hidden = 1, hidden_reason = ?, hidden_by_ban = 1 WHERE id = ? AND hidden = 0`
			if spam {
				q = `UPDATE works SET hidden = 1, hidden_reason = ?, hidden_by_ban = 0 WHERE id = ?`
			}
			res, err := tx.ExecContext(ctx, q, reason, id)
			if err != nil {
				return fmt.Errorf("hide work %d: %w", id, err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				r.Works = append(r.Works, id)
			}
		}
		q := `UPDATE comments SET hidden = 2 WHERE user_id = ? AND hidden = 0`
		if spam {
			q = `UPDATE comments SET hidden = 1 WHERE user_id = ?`
		}
		if _, err := tx.ExecContext(ctx, q, userID); err != nil {
			return fmt.Errorf("hide comments of user %d: %w", userID, err)
		}
		if r.Counted, err = recountForUser(ctx, tx, userID); err != nil {
			return err
		}
		return appendAudit(ctx, tx, e)
	})
	return r, err
}

// recountForUser recounts the bookmarks of every work the user bookmarked
// (a banned account's bookmarks count for nothing) and lists those works
// and the works the user commented on: their counters moved.
func recountForUser(ctx context.Context, tx *sql.Tx, userID int64) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT work_id FROM bookmarks WHERE user_id = ? AND work_id IS NOT NULL
		UNION SELECT work_id FROM comments WHERE user_id = ? ORDER BY 1`, userID, userID)
	if err != nil {
		return nil, fmt.Errorf("works of user %d's comments and bookmarks: %w", userID, err)
	}
	ids, err := scanColumn[int64](rows)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if err := recountBookmarks(ctx, tx, id); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

func (s *Store) UnbanUser(ctx context.Context, userID int64, e *archive.AuditEntry) (store.BanResult, error) {
	var r store.BanResult
	err := s.tx(ctx, func(tx *sql.Tx) error {
		r = store.BanResult{}
		res, err := tx.ExecContext(ctx, `UPDATE users SET banned = 0, moderation_reason = '' WHERE id = ?`, userID)
		if err := exactlyOne(res, err, fmt.Sprintf("user %d", userID)); err != nil {
			return err
		}
		ids, err := userWorkIDs(ctx, tx, userID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			res, err := tx.ExecContext(ctx, `UPDATE works SET hidden = 0, hidden_reason = '', hidden_by_ban = 0 WHERE id = ? AND hidden_by_ban = 1`, id)
			if err != nil {
				return fmt.Errorf("show work %d: %w", id, err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				r.Works = append(r.Works, id)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE comments SET hidden = 0 WHERE user_id = ? AND hidden = 2`, userID); err != nil {
			return fmt.Errorf("show comments of user %d: %w", userID, err)
		}
		if r.Counted, err = recountForUser(ctx, tx, userID); err != nil {
			return err
		}
		return appendAudit(ctx, tx, e)
	})
	return r, err
}

// likeEscape escapes LIKE's wildcards (the pattern uses ESCAPE '\').
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func (s *Store) SearchUsers(ctx context.Context, q string, withEmail bool, offset, limit int) ([]*archive.User, int, error) {
	pattern := "%" + likeEscape(userKey(q)) + "%"
	cond, args := `name_key LIKE ? ESCAPE '\'`, []any{pattern}
	if withEmail {
		cond, args = `(name_key LIKE ? ESCAPE '\' OR email_key LIKE ? ESCAPE '\')`, []any{pattern, pattern}
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("search users: %w", err)
	}
	if limit <= 0 {
		limit = 50
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+userCols+` FROM users WHERE `+cond+` ORDER BY name_key LIMIT ? OFFSET ?`, append(args, limit, max(offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("search users: %w", err)
	}
	defer rows.Close()
	var out []*archive.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("search users: %w", err)
		}
		out = append(out, u)
	}
	return out, total, rows.Err()
}
