package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"quire/internal/archive"
)

func nullID(id int64) any {
	if id <= 0 {
		return nil
	}
	return id
}

// CreateComment inserts a comment; a trigger counts it on the work when it
// is approved.
func (s *Store) CreateComment(ctx context.Context, c *archive.Comment, audit ...*archive.AuditEntry) error {
	insert := func(q queryer) error {
		err := q.QueryRowContext(ctx, `INSERT INTO comments (work_id, chapter_id, parent_id, user_id, pseud_id, guest_name, guest_email,
			body_src, body_fmt, body_html, approved, frozen, address_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			c.WorkID, c.ChapterID, nullID(c.ParentID), nullID(c.UserID), nullID(c.PseudID), c.GuestName, c.GuestEmail,
			c.Body.Source, string(c.Body.Format), c.Body.HTML, b2i(c.Approved), b2i(c.Frozen), c.AddressHash, unix(c.CreatedAt)).Scan(&c.ID)
		if err != nil {
			return fmt.Errorf("create comment: %w", err)
		}
		return nil
	}
	if len(audit) == 0 {
		return insert(s.db)
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := insert(tx); err != nil {
			return err
		}
		return appendAudits(ctx, tx, "comment:"+strconv.FormatInt(c.ID, 10), audit)
	})
}

const commentCols = `c.id, c.work_id, c.chapter_id, COALESCE(c.parent_id, 0), COALESCE(c.user_id, 0), COALESCE(c.pseud_id, 0),
	COALESCE(p.name, ''), COALESCE(u.name, ''), c.guest_name, c.guest_email, c.body_src, c.body_fmt, c.body_html,
	c.approved, c.frozen, c.deleted, c.address_hash, c.created_at, c.edited_at, CASE WHEN c.hidden <> 0 THEN 1 ELSE 0 END`

const commentFrom = ` FROM comments c LEFT JOIN pseuds p ON p.id = c.pseud_id LEFT JOIN users u ON u.id = c.user_id `

func scanComment(row interface{ Scan(...any) error }) (*archive.Comment, error) {
	var c archive.Comment
	var f string
	var created, edited int64
	err := row.Scan(&c.ID, &c.WorkID, &c.ChapterID, &c.ParentID, &c.UserID, &c.PseudID, &c.Pseud, &c.UserName,
		&c.GuestName, &c.GuestEmail, &c.Body.Source, &f, &c.Body.HTML, &c.Approved, &c.Frozen, &c.Deleted,
		&c.AddressHash, &created, &edited, &c.Hidden)
	if err != nil {
		return nil, err
	}
	c.Body.Format = archive.Format(f)
	c.CreatedAt, c.EditedAt = fromUnix(created), fromUnix(edited)
	return &c, nil
}

func (s *Store) Comment(ctx context.Context, id int64) (*archive.Comment, error) {
	c, err := scanComment(s.db.QueryRowContext(ctx, `SELECT `+commentCols+commentFrom+`WHERE c.id = ?`, id))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("comment %d", id))
	}
	return c, nil
}

func (s *Store) ChapterComments(ctx context.Context, chapterID int64) ([]*archive.Comment, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+commentCols+commentFrom+`WHERE c.chapter_id = ? ORDER BY c.id`, chapterID)
	if err != nil {
		return nil, fmt.Errorf("comments of chapter %d: %w", chapterID, err)
	}
	defer rows.Close()
	var out []*archive.Comment
	for rows.Next() {
		c, err := scanComment(rows)
		if err != nil {
			return nil, fmt.Errorf("comments of chapter %d: %w", chapterID, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (s *Store) UpdateComment(ctx context.Context, c *archive.Comment) error {
	res, err := s.db.ExecContext(ctx, `UPDATE comments SET body_src = ?, body_fmt = ?, body_html = ?, edited_at = ?, approved = ?, frozen = ? WHERE id = ?`,
		c.Body.Source, string(c.Body.Format), c.Body.HTML, unix(c.EditedAt), b2i(c.Approved), b2i(c.Frozen), c.ID)
	if err != nil {
		return fmt.Errorf("update comment %d: %w", c.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("comment %d: %w", c.ID, archive.ErrNotFound)
	}
	return nil
}

func (s *Store) DeleteComment(ctx context.Context, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return deleteComment(ctx, tx, id) })
}

// deleteComment removes a comment, or blanks it when replies hang off it.
func deleteComment(ctx context.Context, tx *sql.Tx, id int64) error {
	var replies int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM comments WHERE parent_id = ?`, id).Scan(&replies); err != nil {
		return fmt.Errorf("delete comment %d: %w", id, err)
	}
	var res sql.Result
	var err error
	if replies > 0 {
		res, err = tx.ExecContext(ctx, `UPDATE comments SET deleted = 1, body_src = '', body_html = '', guest_email = '' WHERE id = ?`, id)
	} else {
		res, err = tx.ExecContext(ctx, `DELETE FROM comments WHERE id = ?`, id)
	}
	if err != nil {
		return fmt.Errorf("delete comment %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("comment %d: %w", id, archive.ErrNotFound)
	}
	return nil
}

func (s *Store) CommentTimesSince(ctx context.Context, userID int64, addressHash string, since time.Time) ([]time.Time, error) {
	q, arg := `SELECT created_at FROM comments WHERE user_id = ? AND created_at >= ? ORDER BY created_at`, any(userID)
	if userID <= 0 {
		q, arg = `SELECT created_at FROM comments WHERE address_hash = ? AND created_at >= ? ORDER BY created_at`, addressHash
	}
	rows, err := s.db.QueryContext(ctx, q, arg, unix(since))
	if err != nil {
		return nil, fmt.Errorf("recent comments: %w", err)
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var t int64
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out = append(out, fromUnix(t))
	}
	return out, rows.Err()
}
