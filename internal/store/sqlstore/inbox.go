package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"quire/internal/store"
)

var _ store.Inbox = (*Store)(nil)

func (s *Store) AddInboxEntries(ctx context.Context, es []*store.InboxEntry) error {
	return s.addInbox(ctx, es, false)
}

func (s *Store) AddInboxEntriesOnce(ctx context.Context, es []*store.InboxEntry) error {
	return s.addInbox(ctx, es, true)
}

func (s *Store) addInbox(ctx context.Context, es []*store.InboxEntry, once bool) error {
	if len(es) == 0 {
		return nil
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		sc := newStmtCache(tx)
		defer sc.close()
		for _, e := range es {
			if once {
				var n int
				err := sc.QueryRowContext(ctx, `SELECT COUNT(*) FROM inbox WHERE user_id = ? AND kind = ? AND work_id = ? AND COALESCE(chapter_id, 0) = ?`,
					e.UserID, e.Kind, e.WorkID, e.ChapterID).Scan(&n)
				if err != nil {
					return fmt.Errorf("inbox entry for user %d: %w", e.UserID, err)
				}
				if n > 0 {
					continue
				}
			}
			err := sc.QueryRowContext(ctx, `INSERT INTO inbox (user_id, kind, work_id, chapter_id, comment_id, actor, work_title, read, created_at, collection_id)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				e.UserID, e.Kind, nullID(e.WorkID), nullID(e.ChapterID), nullID(e.CommentID), e.Actor, e.WorkTitle, b2i(e.Read), unix(e.CreatedAt), nullID(e.CollectionID)).Scan(&e.ID)
			if err != nil {
				return fmt.Errorf("add inbox entry for user %d: %w", e.UserID, err)
			}
		}
		return nil
	})
}

const inboxSelect = `SELECT i.id, i.user_id, i.kind, COALESCE(i.work_id, 0), COALESCE(i.chapter_id, 0), COALESCE(i.comment_id, 0),
	i.actor, COALESCE(w.title, i.work_title), COALESCE(ch.position, 0), COALESCE(ch.title, ''),
	COALESCE(CASE WHEN c.deleted = 0 AND c.hidden = 0 THEN c.body_html END, ''), i.read, i.created_at,
	COALESCE(i.collection_id, 0), COALESCE(co.name, '')
	FROM inbox i
	LEFT JOIN collections co ON co.id = i.collection_id
	LEFT JOIN works w ON w.id = i.work_id
	LEFT JOIN chapters ch ON ch.id = i.chapter_id
	LEFT JOIN comments c ON c.id = i.comment_id`

func (s *Store) InboxEntries(ctx context.Context, userID int64, unreadOnly bool, offset, limit int) (store.InboxPage, error) {
	var p store.InboxPage
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN read = 0 THEN 1 ELSE 0 END), 0) FROM inbox WHERE user_id = ?`, userID).Scan(&p.Total, &p.Unread)
	if err != nil {
		return p, fmt.Errorf("inbox of user %d: %w", userID, err)
	}
	if unreadOnly {
		p.Total = p.Unread
	}
	if limit <= 0 {
		return p, nil
	}
	q := inboxSelect + ` WHERE i.user_id = ?`
	if unreadOnly {
		q += ` AND i.read = 0`
	}
	q += ` ORDER BY i.id DESC LIMIT ? OFFSET ?`
	rows, err := s.db.QueryContext(ctx, q, userID, limit, max(offset, 0))
	if err != nil {
		return p, fmt.Errorf("inbox of user %d: %w", userID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var e store.InboxEntry
		var read int
		var created int64
		if err := rows.Scan(&e.ID, &e.UserID, &e.Kind, &e.WorkID, &e.ChapterID, &e.CommentID, &e.Actor, &e.WorkTitle,
			&e.ChapterPosition, &e.ChapterTitle, &e.CommentHTML, &read, &created, &e.CollectionID, &e.CollectionName); err != nil {
			return p, fmt.Errorf("inbox of user %d: %w", userID, err)
		}
		e.Read = read != 0
		e.CreatedAt = fromUnix(created)
		p.Entries = append(p.Entries, &e)
	}
	return p, rows.Err()
}

func (s *Store) UnreadCount(ctx context.Context, userID int64) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM inbox WHERE user_id = ? AND read = 0`, userID).Scan(&n); err != nil {
		return 0, fmt.Errorf("unread inbox of user %d: %w", userID, err)
	}
	return n, nil
}

func (s *Store) MarkInboxRead(ctx context.Context, userID int64, ids []int64, read bool) (int, error) {
	q := `UPDATE inbox SET read = ? WHERE user_id = ? AND read <> ?`
	args := []any{b2i(read), userID, b2i(read)}
	if ids != nil {
		if len(ids) == 0 {
			return 0, nil
		}
		q += ` AND id IN (` + placeholders(len(ids)) + `)`
		args = append(args, int64Args(ids)...)
	}
	res, err := s.db.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("mark inbox of user %d: %w", userID, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

func (s *Store) DeleteInboxEntries(ctx context.Context, userID int64, ids []int64) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	res, err := s.db.ExecContext(ctx, `DELETE FROM inbox WHERE user_id = ? AND id IN (`+placeholders(len(ids))+`)`, append([]any{userID}, int64Args(ids)...)...)
	if err != nil {
		return 0, fmt.Errorf("delete inbox entries of user %d: %w", userID, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

func (s *Store) CountInboxEntries(ctx context.Context, userID int64, ids []int64) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM inbox WHERE user_id = ? AND id IN (`+placeholders(len(ids))+`)`,
		append([]any{userID}, int64Args(ids)...)...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count inbox entries of user %d: %w", userID, err)
	}
	return n, nil
}
