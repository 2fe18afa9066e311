package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

// News posts, their comments and the site banner (store.News), and what
// the sitemap reads (store.Sitemaps).

const newsPostCols = `p.id, p.title, p.body_src, p.body_fmt, p.body_html, COALESCE(p.user_id, 0), COALESCE(u.name, ''),
	(SELECT COUNT(*) FROM admin_post_comments c WHERE c.post_id = p.id), p.created_at, p.updated_at`

const newsPostFrom = ` FROM admin_posts p LEFT JOIN users u ON u.id = p.user_id `

func scanNewsPost(row interface{ Scan(...any) error }) (*archive.NewsPost, error) {
	var p archive.NewsPost
	var f string
	var created, updated int64
	if err := row.Scan(&p.ID, &p.Title, &p.Body.Source, &f, &p.Body.HTML, &p.AuthorID, &p.Author, &p.Comments, &created, &updated); err != nil {
		return nil, err
	}
	p.Body.Format = archive.Format(f)
	p.CreatedAt, p.UpdatedAt = fromUnix(created), fromUnix(updated)
	return &p, nil
}

func newsTarget(id int64) string { return "news:" + strconv.FormatInt(id, 10) }

func (s *Store) CreateNewsPost(ctx context.Context, p *archive.NewsPost, audit ...*archive.AuditEntry) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO admin_posts (user_id, title, body_src, body_fmt, body_html, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, nullID(p.AuthorID), p.Title, p.Body.Source, string(p.Body.Format), p.Body.HTML,
			unix(p.CreatedAt), unix(p.UpdatedAt)).Scan(&p.ID)
		if err != nil {
			return fmt.Errorf("create news post: %w", err)
		}
		return appendAudits(ctx, tx, newsTarget(p.ID), audit)
	})
}

func (s *Store) UpdateNewsPost(ctx context.Context, p *archive.NewsPost, audit ...*archive.AuditEntry) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE admin_posts SET title = ?, body_src = ?, body_fmt = ?, body_html = ?, updated_at = ? WHERE id = ?`,
			p.Title, p.Body.Source, string(p.Body.Format), p.Body.HTML, unix(p.UpdatedAt), p.ID)
		if err := affected(res, err, fmt.Sprintf("news post %d", p.ID)); err != nil {
			return err
		}
		return appendAudits(ctx, tx, newsTarget(p.ID), audit)
	})
}

func (s *Store) DeleteNewsPost(ctx context.Context, id int64, audit ...*archive.AuditEntry) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM admin_posts WHERE id = ?`, id)
		if err := affected(res, err, fmt.Sprintf("news post %d", id)); err != nil {
			return err
		}
		return appendAudits(ctx, tx, newsTarget(id), audit)
	})
}

func (s *Store) NewsPost(ctx context.Context, id int64) (*archive.NewsPost, error) {
	p, err := scanNewsPost(s.db.QueryRowContext(ctx, `SELECT `+newsPostCols+newsPostFrom+`WHERE p.id = ?`, id))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("news post %d", id))
	}
	return p, nil
}

func (s *Store) NewsPosts(ctx context.Context, offset, limit int) ([]*archive.NewsPost, int, error) {
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM admin_posts`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count news posts: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+newsPostCols+newsPostFrom+`ORDER BY p.created_at DESC, p.id DESC LIMIT ? OFFSET ?`, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("news posts: %w", err)
	}
	defer rows.Close()
	var out []*archive.NewsPost
	for rows.Next() {
		p, err := scanNewsPost(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("news posts: %w", err)
		}
		out = append(out, p)
	}
	return out, total, rows.Err()
}

const newsCommentCols = `c.id, c.post_id, COALESCE(c.user_id, 0), COALESCE(u.name, ''), c.body_src, c.body_fmt, c.body_html, c.created_at`

const newsCommentFrom = ` FROM admin_post_comments c LEFT JOIN users u ON u.id = c.user_id `

func scanNewsComment(row interface{ Scan(...any) error }) (*archive.NewsComment, error) {
	var c archive.NewsComment
	var f string
	var created int64
	if err := row.Scan(&c.ID, &c.PostID, &c.UserID, &c.UserName, &c.Body.Source, &f, &c.Body.HTML, &created); err != nil {
		return nil, err
	}
	c.Body.Format = archive.Format(f)
	c.CreatedAt = fromUnix(created)
	return &c, nil
}

func (s *Store) CreateNewsComment(ctx context.Context, c *archive.NewsComment) error {
	err := s.db.QueryRowContext(ctx, `INSERT INTO admin_post_comments (post_id, user_id, body_src, body_fmt, body_html, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, c.PostID, nullID(c.UserID), c.Body.Source, string(c.Body.Format), c.Body.HTML,
		unix(c.CreatedAt)).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("create comment on news post %d: %w", c.PostID, err)
	}
	return nil
}

func (s *Store) NewsComment(ctx context.Context, id int64) (*archive.NewsComment, error) {
	c, err := scanNewsComment(s.db.QueryRowContext(ctx, `SELECT `+newsCommentCols+newsCommentFrom+`WHERE c.id = ?`, id))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("news comment %d", id))
	}
	return c, nil
}

func (s *Store) NewsComments(ctx context.Context, postID int64) ([]*archive.NewsComment, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+newsCommentCols+newsCommentFrom+`WHERE c.post_id = ? ORDER BY c.id`, postID)
	if err != nil {
		return nil, fmt.Errorf("comments of news post %d: %w", postID, err)
	}
	defer rows.Close()
	var out []*archive.NewsComment
	for rows.Next() {
		c, err := scanNewsComment(rows)
		if err != nil {
			return nil, fmt.Errorf("comments of news post %d: %w", postID, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (s *Store) DeleteNewsComment(ctx context.Context, id int64, audit ...*archive.AuditEntry) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM admin_post_comments WHERE id = ?`, id)
		if err := affected(res, err, fmt.Sprintf("news comment %d", id)); err != nil {
			return err
		}
		return appendAudits(ctx, tx, "news_comment:"+strconv.FormatInt(id, 10), audit)
	})
}

func (s *Store) NewsCommentTimesSince(ctx context.Context, userID int64, since time.Time) ([]time.Time, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT created_at FROM admin_post_comments WHERE user_id = ? AND created_at >= ? ORDER BY created_at`, userID, unix(since))
	if err != nil {
		return nil, fmt.Errorf("news comment times: %w", err)
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var at int64
		if err := rows.Scan(&at); err != nil {
			return nil, fmt.Errorf("news comment times: %w", err)
		}
		out = append(out, fromUnix(at))
	}
	return out, rows.Err()
}

func (s *Store) Banner(ctx context.Context) (archive.Banner, error) {
	var b archive.Banner
	var f string
	var at int64
	err := s.db.QueryRowContext(ctx, `SELECT version, body_src, body_fmt, body_html, updated_at FROM site_banner WHERE id = 1`).
		Scan(&b.Version, &b.Text.Source, &f, &b.Text.HTML, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return archive.Banner{}, nil
	}
	if err != nil {
		return archive.Banner{}, fmt.Errorf("banner: %w", err)
	}
	b.Text.Format = archive.Format(f)
	b.UpdatedAt = fromUnix(at)
	return b, nil
}

func (s *Store) SetBanner(ctx context.Context, text archive.Rich, at time.Time, audit ...*archive.AuditEntry) (archive.Banner, error) {
	f := text.Format
	if f == "" {
		f = archive.FormatHTML
	}
	b := archive.Banner{Text: archive.Rich{Source: text.Source, Format: f, HTML: text.HTML}, UpdatedAt: at}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO site_banner (id, version, body_src, body_fmt, body_html, updated_at)
			VALUES (1, 1, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET version = site_banner.version + 1, body_src = excluded.body_src,
				body_fmt = excluded.body_fmt, body_html = excluded.body_html, updated_at = excluded.updated_at
			RETURNING version`, text.Source, string(f), text.HTML, unix(at)).Scan(&b.Version)
		if err != nil {
			return fmt.Errorf("set banner: %w", err)
		}
		return appendAudits(ctx, tx, "banner", audit)
	})
	if err != nil {
		return archive.Banner{}, err
	}
	return b, nil
}

func (s *Store) PostedChapters(ctx context.Context, from, to int64) ([]store.ChapterStamp, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, work_id, updated_at FROM chapters WHERE id >= ? AND id <= ? AND draft = 0 ORDER BY id`, from, to)
	if err != nil {
		return nil, fmt.Errorf("posted chapters %d-%d: %w", from, to, err)
	}
	defer rows.Close()
	var out []store.ChapterStamp
	for rows.Next() {
		var c store.ChapterStamp
		var at int64
		if err := rows.Scan(&c.ID, &c.WorkID, &at); err != nil {
			return nil, fmt.Errorf("posted chapters %d-%d: %w", from, to, err)
		}
		c.UpdatedAt = fromUnix(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

func (s *Store) EachPostedChapter(ctx context.Context, fn func(id, workID int64) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT id, work_id FROM chapters WHERE draft = 0 ORDER BY id`)
	if err != nil {
		return fmt.Errorf("posted chapters: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, work int64
		if err := rows.Scan(&id, &work); err != nil {
			return fmt.Errorf("posted chapters: %w", err)
		}
		if err := fn(id, work); err != nil {
			return err
		}
	}
	return rows.Err()
}

// dumpNews streams news posts by id, then their comments by id.
func dumpNews(ctx context.Context, q queryer, fn func(store.DumpRecord) error) error {
	rows, err := q.QueryContext(ctx, `SELECT `+newsPostCols+newsPostFrom+`ORDER BY p.id`)
	if err != nil {
		return fmt.Errorf("export news posts: %w", err)
	}
	var posts []*archive.NewsPost
	for rows.Next() {
		p, err := scanNewsPost(rows)
		if err != nil {
			rows.Close()
			return fmt.Errorf("export news posts: %w", err)
		}
		posts = append(posts, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export news posts: %w", err)
	}
	for _, p := range posts {
		if err := fn(store.DumpRecord{NewsPost: &store.DumpNewsPost{Post: *p}}); err != nil {
			return err
		}
	}
	rows, err = q.QueryContext(ctx, `SELECT `+newsCommentCols+newsCommentFrom+`ORDER BY c.id`)
	if err != nil {
		return fmt.Errorf("export news comments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanNewsComment(rows)
		if err != nil {
			return fmt.Errorf("export news comments: %w", err)
		}
		if err := fn(store.DumpRecord{NewsComment: &store.DumpNewsComment{Comment: *c}}); err != nil {
			return err
		}
	}
	return rows.Err()
}

// PutNewsPost inserts a news post with its id (or a new one when 0),
// credited to the account it names ("" for none).
func (d *dumpWriter) PutNewsPost(ctx context.Context, dp *store.DumpNewsPost) error {
	p := &dp.Post
	if p.ID < 0 {
		return archive.Invalid("id", "a news post needs a positive id")
	}
	var userID int64
	if p.Author != "" {
		var err error
		if userID, err = d.userID(ctx, "author", p.Author); err != nil {
			return err
		}
	}
	args := []any{nullID(userID), p.Title, p.Body.Source, string(p.Body.Format), p.Body.HTML, unix(p.CreatedAt), unix(p.UpdatedAt)}
	var err error
	if p.ID == 0 {
		err = d.q.QueryRowContext(ctx, `INSERT INTO admin_posts (user_id, title, body_src, body_fmt, body_html, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, args...).Scan(&p.ID)
	} else {
		_, err = d.q.ExecContext(ctx, `INSERT INTO admin_posts (id, user_id, title, body_src, body_fmt, body_html, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, append([]any{p.ID}, args...)...)
	}
	if isUnique(err) {
		return conflict("news post %d is already in this archive", p.ID)
	}
	if err != nil {
		return fmt.Errorf("insert news post %d: %w", p.ID, err)
	}
	return nil
}

// PutNewsComment inserts a comment with its id (or a new one when 0) on a
// news post the archive already has.
func (d *dumpWriter) PutNewsComment(ctx context.Context, dc *store.DumpNewsComment) error {
	c := &dc.Comment
	if c.ID < 0 {
		return archive.Invalid("id", "a news comment needs a positive id")
	}
	var one int
	err := d.q.QueryRowContext(ctx, `SELECT 1 FROM admin_posts WHERE id = ?`, c.PostID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return archive.Invalid("post_id", "there is no news post %d (in this archive or earlier in the file)", c.PostID)
	}
	if err != nil {
		return fmt.Errorf("news comment %d: %w", c.ID, err)
	}
	var userID int64
	if c.UserName != "" {
		if userID, err = d.userID(ctx, "user", c.UserName); err != nil {
			return err
		}
	}
	args := []any{c.PostID, nullID(userID), c.Body.Source, string(c.Body.Format), c.Body.HTML, unix(c.CreatedAt)}
	if c.ID == 0 {
		err = d.q.QueryRowContext(ctx, `INSERT INTO admin_post_comments (post_id, user_id, body_src, body_fmt, body_html, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, args...).Scan(&c.ID)
	} else {
		_, err = d.q.ExecContext(ctx, `INSERT INTO admin_post_comments (id, post_id, user_id, body_src, body_fmt, body_html, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, append([]any{c.ID}, args...)...)
	}
	if isUnique(err) {
		return conflict("news comment %d is already in this archive", c.ID)
	}
	if err != nil {
		return fmt.Errorf("insert news comment %d: %w", c.ID, err)
	}
	return nil
}

// affected turns a write that touched no row into archive.ErrNotFound.
func affected(res sql.Result, err error, what string) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%s: %w", what, archive.ErrNotFound)
	}
	return nil
}
