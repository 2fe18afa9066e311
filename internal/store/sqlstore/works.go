package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
	"quire/internal/text"
)

// CreateWorks inserts works, their bylines, tags and chapters in one transaction.
func (s *Store) CreateWorks(ctx context.Context, ws []store.NewWork) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		cache := newBatchCache()
		q := newStmtCache(tx)
		defer q.close()
		for i := range ws {
			if err := createWork(ctx, q, &ws[i], cache); err != nil {
				return err
			}
		}
		return nil
	})
}

func createWork(ctx context.Context, tx queryer, nw *store.NewWork, cache *batchCache) error {
	w := nw.Work
	now := time.Now().UTC()
	if w.CreatedAt.IsZero() {
		w.CreatedAt = now
	}
	if w.EditedAt.IsZero() {
		w.EditedAt = now
	}
	// What the work derives from its chapters, computed from the data in
	// hand rather than read back.
	w.Words, w.ChaptersPosted, w.UpdatedAt = 0, 0, w.PostedAt
	for _, c := range nw.Chapters {
		if c.PostedAt.IsZero() {
			c.PostedAt = w.PostedAt
		}
		if !c.Draft {
			w.Words += c.Words
			w.ChaptersPosted++
			if c.PostedAt.After(w.UpdatedAt) {
				w.UpdatedAt = c.PostedAt
			}
		}
	}
	var creatorNames []string
	creatorSort := ""
	for i, pid := range nw.PseudIDs {
		name, key, err := cache.pseud(ctx, tx, pid)
		if err != nil {
			return err
		}
		if i == 0 {
			creatorSort = key
		}
		creatorNames = append(creatorNames, name)
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO works (title, summary_src, summary_fmt, summary_html, notes_src, notes_fmt, notes_html,
			end_notes_src, end_notes_fmt, end_notes_html, language, chapters_posted, chapters_expected, words, draft, restricted, hidden,
			comment_permission, moderated_comments, posted_at, updated_at, edited_at, created_at, hits, kudos, title_sort, creator_sort, publish_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		w.Title, w.Summary.Source, string(w.Summary.Format), w.Summary.HTML, w.Notes.Source, string(w.Notes.Format), w.Notes.HTML,
		w.EndNotes.Source, string(w.EndNotes.Format), w.EndNotes.HTML, w.Language, w.ChaptersPosted, w.ChaptersExpected, w.Words,
		b2i(w.Draft), b2i(w.Restricted), b2i(w.Hidden), w.CommentPermission, b2i(w.ModeratedComments),
		unix(w.PostedAt), unix(w.UpdatedAt), unix(w.EditedAt), unix(w.CreatedAt), w.Hits, w.Kudos, archive.TitleSortKey(w.Title), creatorSort,
		nullUnix(w.PublishAt)).Scan(&w.ID)
	if err != nil {
		return fmt.Errorf("insert work: %w", err)
	}
	if w.AwaitingReview {
		if _, err := tx.ExecContext(ctx, `INSERT INTO work_reviews (work_id, created_at) VALUES (?, ?)`, w.ID, unix(w.CreatedAt)); err != nil {
			return fmt.Errorf("hold work for review: %w", err)
		}
	}
	if err := appendAudits(ctx, tx, "work:"+strconv.FormatInt(w.ID, 10), []*archive.AuditEntry{nw.Audit}); err != nil {
		return err
	}
	for i, pid := range nw.PseudIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO work_creators (work_id, pseud_id, position) VALUES (?, ?, ?)`, w.ID, pid, i); err != nil {
			return fmt.Errorf("insert creator: %w", err)
		}
	}
	if err := writeWorkTags(ctx, tx, w, cache.tags); err != nil {
		return err
	}
	var body strings.Builder
	for i, c := range nw.Chapters {
		c.WorkID = w.ID
		c.Position = i + 1
		if err := insertChapter(ctx, tx, c); err != nil {
			return err
		}
		if !c.Draft {
			body.WriteString(chapterText(c))
		}
	}
	var tagNames []string
	for _, t := range archive.TagTypes {
		tagNames = append(tagNames, w.Tags[t]...)
	}
	return writeFTS(ctx, tx, w.ID, w.Title, w.Summary.HTML, w.Notes.HTML, w.EndNotes.HTML, creatorNames, tagNames, body.String())
}

// batchCache remembers tag ids and pseud names within one transaction.
type batchCache struct {
	tags   map[string]int64
	pseuds map[int64][2]string
}

func newBatchCache() *batchCache {
	return &batchCache{tags: map[string]int64{}, pseuds: map[int64][2]string{}}
}

func (b *batchCache) pseud(ctx context.Context, tx queryer, id int64) (name, key string, err error) {
	if p, ok := b.pseuds[id]; ok {
		return p[0], p[1], nil
	}
	if err := tx.QueryRowContext(ctx, `SELECT name, name_key FROM pseuds WHERE id = ?`, id).Scan(&name, &key); err != nil {
		return "", "", notFound(err, "pseud")
	}
	b.pseuds[id] = [2]string{name, key}
	return name, key, nil
}

func chapterText(c *archive.Chapter) string {
	return c.Title + "\n" + text.PlainText(c.Summary.HTML) + "\n" + text.PlainText(c.Notes.HTML) + "\n" +
		text.PlainText(c.Body.HTML) + "\n" + text.PlainText(c.EndNotes.HTML) + "\n"
}

// writeWorkTags replaces the work's taggings with w.Tags, creating unknown
// tags as unwrangled.
func writeWorkTags(ctx context.Context, tx queryer, w *archive.Work, cache map[string]int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM work_tags WHERE work_id = ?`, w.ID); err != nil {
		return fmt.Errorf("clear tags: %w", err)
	}
	pos := 0
	for _, t := range archive.TagTypes {
		for _, name := range w.Tags[t] {
			key := string(t) + "\x00" + archive.TagKey(name)
			id, ok := cache[key]
			if !ok {
				tag, err := ensureTag(ctx, tx, t, name)
				if err != nil {
					return err
				}
				id = tag.ID
				if cache != nil {
					cache[key] = id
				}
			}
			// The same tag entered twice (different case) is carried once.
			if _, err := tx.ExecContext(ctx, `INSERT INTO work_tags (work_id, tag_id, position, entered) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
				w.ID, id, pos, name); err != nil {
				return fmt.Errorf("insert tagging: %w", err)
			}
			pos++
		}
	}
	return nil
}

func insertChapter(ctx context.Context, tx queryer, c *archive.Chapter) error {
	now := time.Now().UTC()
	if c.PostedAt.IsZero() {
		c.PostedAt = now
	}
	c.UpdatedAt = now
	err := tx.QueryRowContext(ctx, `INSERT INTO chapters (work_id, position, title, summary_src, summary_fmt, summary_html, notes_src, notes_fmt, notes_html,
			end_notes_src, end_notes_fmt, end_notes_html, body_src, body_fmt, body_html, words, draft, posted_at, updated_at, publish_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.WorkID, c.Position, c.Title, c.Summary.Source, string(c.Summary.Format), c.Summary.HTML, c.Notes.Source, string(c.Notes.Format), c.Notes.HTML,
		c.EndNotes.Source, string(c.EndNotes.Format), c.EndNotes.HTML, c.Body.Source, string(c.Body.Format), c.Body.HTML, c.Words, b2i(c.Draft),
		unix(c.PostedAt), unix(c.UpdatedAt), nullUnix(c.PublishAt)).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("insert chapter: %w", err)
	}
	return nil
}

// refreshWorkStats recomputes what a work derives from its chapters.
func refreshWorkStats(ctx context.Context, tx *sql.Tx, workID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE works SET
			words = (SELECT COALESCE(SUM(words), 0) FROM chapters WHERE work_id = works.id AND draft = 0),
			chapters_posted = (SELECT COUNT(*) FROM chapters WHERE work_id = works.id AND draft = 0),
			updated_at = (SELECT CASE WHEN MAX(c.posted_at) > works.posted_at THEN MAX(c.posted_at) ELSE works.posted_at END FROM chapters c WHERE c.work_id = works.id AND c.draft = 0)
		WHERE id = ?`, workID)
	if err != nil {
		return fmt.Errorf("refresh work %d: %w", workID, err)
	}
	return nil
}

func refreshSortKeys(ctx context.Context, tx *sql.Tx, workID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE works SET creator_sort = COALESCE((SELECT p.name_key FROM work_creators wc JOIN pseuds p ON p.id = wc.pseud_id
		WHERE wc.work_id = works.id ORDER BY wc.position LIMIT 1), '') WHERE id = ?`, workID)
	if err != nil {
		return fmt.Errorf("refresh sort keys %d: %w", workID, err)
	}
	return nil
}

// refreshFTS rewrites the work's full-text row from the stored work.
func refreshFTS(ctx context.Context, tx *sql.Tx, workID int64) error {
	var title, summary, notes, endNotes string
	err := tx.QueryRowContext(ctx, `SELECT title, summary_html, notes_html, end_notes_html FROM works WHERE id = ?`, workID).Scan(&title, &summary, &notes, &endNotes)
	if err != nil {
		return notFound(err, "work")
	}
	// An anonymous or unrevealed work's creators are not searchable.
	creators, err := collectStrings(ctx, tx, `SELECT p.name FROM work_creators wc JOIN pseuds p ON p.id = wc.pseud_id WHERE wc.work_id = ?
		AND NOT EXISTS (SELECT 1 FROM collection_items i WHERE i.work_id = wc.work_id AND i.state IN ('approved', 'pending') AND (i.anonymous = 1 OR i.unrevealed = 1))
		ORDER BY wc.position`, workID)
	if err != nil {
		return err
	}
	tags, err := collectStrings(ctx, tx, `SELECT wt.entered FROM work_tags wt WHERE wt.work_id = ? ORDER BY wt.position`, workID)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+chapterMeta+`, body_src, body_fmt, body_html FROM chapters WHERE work_id = ? AND draft = 0 ORDER BY position`, workID)
	if err != nil {
		return err
	}
	var body strings.Builder
	for rows.Next() {
		c, err := scanChapter(rows, true)
		if err != nil {
			rows.Close()
			return err
		}
		body.WriteString(chapterText(c))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return writeFTS(ctx, tx, workID, title, summary, notes, endNotes, creators, tags, body.String())
}

func writeFTS(ctx context.Context, tx queryer, workID int64, title, summary, notes, endNotes string, creators, tags []string, body string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM works_fts WHERE rowid = ?`, workID); err != nil {
		return fmt.Errorf("fts delete: %w", err)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO works_fts (rowid, title, summary, notes, creators, tags, body) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		workID, text.SpaceCJK(title), text.SpaceCJK(text.PlainText(summary)), text.SpaceCJK(text.PlainText(notes)+"\n"+text.PlainText(endNotes)),
		text.SpaceCJK(strings.Join(creators, "\n")), text.SpaceCJK(strings.Join(tags, "\n")), text.SpaceCJK(body))
	if err != nil {
		return fmt.Errorf("fts insert: %w", err)
	}
	return nil
}

func collectStrings(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return scanColumn[string](rows)
}

// UpdateWork saves metadata and tags.
func (s *Store) UpdateWork(ctx context.Context, w *archive.Work) error {
	return s.UpdateWorks(ctx, []*archive.Work{w})
}

// UpdateWorks saves several works' metadata and tags in one transaction.
func (s *Store) UpdateWorks(ctx context.Context, ws []*archive.Work) error {
	now := time.Now().UTC()
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, w := range ws {
			w.EditedAt = now
			if err := updateWork(ctx, tx, w); err != nil {
				return err
			}
		}
		return nil
	})
}

func updateWork(ctx context.Context, tx *sql.Tx, w *archive.Work) error {
	res, err := tx.ExecContext(ctx, `UPDATE works SET title = ?, summary_src = ?, summary_fmt = ?, summary_html = ?, notes_src = ?, notes_fmt = ?, notes_html = ?,
				end_notes_src = ?, end_notes_fmt = ?, end_notes_html = ?, language = ?, chapters_expected = ?, draft = ?, restricted = ?,
				comment_permission = ?, moderated_comments = ?, posted_at = ?, edited_at = ?, title_sort = ?, publish_at = ?
			WHERE id = ?`,
		w.Title, w.Summary.Source, string(w.Summary.Format), w.Summary.HTML, w.Notes.Source, string(w.Notes.Format), w.Notes.HTML,
		w.EndNotes.Source, string(w.EndNotes.Format), w.EndNotes.HTML, w.Language, w.ChaptersExpected, b2i(w.Draft), b2i(w.Restricted),
		w.CommentPermission, b2i(w.ModeratedComments), unix(w.PostedAt), unix(w.EditedAt), archive.TitleSortKey(w.Title), nullUnix(w.PublishAt), w.ID)
	if err != nil {
		return fmt.Errorf("update work %d: %w", w.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("work %d: %w", w.ID, archive.ErrNotFound)
	}
	if w.Tags != nil {
		if err := writeWorkTags(ctx, tx, w, nil); err != nil {
			return err
		}
	}
	if err := refreshWorkStats(ctx, tx, w.ID); err != nil {
		return err
	}
	return refreshFTS(ctx, tx, w.ID)
}

func (s *Store) DeleteWork(ctx context.Context, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return deleteWork(ctx, tx, id) })
}

func deleteWork(ctx context.Context, tx *sql.Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM works_fts WHERE rowid = ?`, id); err != nil {
		return fmt.Errorf("delete work %d: %w", id, err)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM works WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete work %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("work %d: %w", id, archive.ErrNotFound)
	}
	return nil
}

const workCols = `id, title, summary_src, summary_fmt, summary_html, notes_src, notes_fmt, notes_html, end_notes_src, end_notes_fmt, end_notes_html,
	language, chapters_posted, chapters_expected, words, draft, restricted, hidden, comment_permission, moderated_comments,
	posted_at, updated_at, edited_at, created_at, hits, kudos, comments, bookmarks, hidden_reason, hidden_by_ban,
	CASE WHEN EXISTS (SELECT 1 FROM work_reviews r WHERE r.work_id = works.id) THEN 1 ELSE 0 END, publish_at`

func scanWork(row interface{ Scan(...any) error }) (*archive.Work, error) {
	var w archive.Work
	var sf, nf, ef string
	var posted, updated, edited, created int64
	var publish sql.NullInt64
	err := row.Scan(&w.ID, &w.Title, &w.Summary.Source, &sf, &w.Summary.HTML, &w.Notes.Source, &nf, &w.Notes.HTML,
		&w.EndNotes.Source, &ef, &w.EndNotes.HTML, &w.Language, &w.ChaptersPosted, &w.ChaptersExpected, &w.Words,
		&w.Draft, &w.Restricted, &w.Hidden, &w.CommentPermission, &w.ModeratedComments,
		&posted, &updated, &edited, &created, &w.Hits, &w.Kudos, &w.Comments, &w.Bookmarks, &w.HiddenReason, &w.HiddenByBan, &w.AwaitingReview, &publish)
	if err != nil {
		return nil, err
	}
	w.Summary.Format, w.Notes.Format, w.EndNotes.Format = archive.Format(sf), archive.Format(nf), archive.Format(ef)
	w.PostedAt, w.UpdatedAt, w.EditedAt, w.CreatedAt = fromUnix(posted), fromUnix(updated), fromUnix(edited), fromUnix(created)
	if publish.Valid {
		w.PublishAt = fromUnix(publish.Int64)
	}
	w.Tags = map[archive.TagType][]string{}
	return &w, nil
}

func (s *Store) Work(ctx context.Context, id int64) (*archive.Work, error) {
	ws, err := s.WorksByIDs(ctx, []int64{id})
	if err != nil {
		return nil, err
	}
	if len(ws) == 0 {
		return nil, fmt.Errorf("work %d: %w", id, archive.ErrNotFound)
	}
	return ws[0], nil
}

// WorksByIDs loads works with their creators and tags in three queries.
func (s *Store) WorksByIDs(ctx context.Context, ids []int64) ([]*archive.Work, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := int64Args(ids)
	in := placeholders(len(ids))
	rows, err := s.db.QueryContext(ctx, `SELECT `+workCols+` FROM works WHERE id IN (`+in+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("load works: %w", err)
	}
	byID := make(map[int64]*archive.Work, len(ids))
	for rows.Next() {
		w, err := scanWork(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("scan work: %w", err)
		}
		byID[w.ID] = w
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.db.QueryContext(ctx, `SELECT wc.work_id, p.id, p.name, COALESCE(p.user_id, 0), COALESCE(u.name, '')
		FROM work_creators wc JOIN pseuds p ON p.id = wc.pseud_id LEFT JOIN users u ON u.id = p.user_id
		WHERE wc.work_id IN (`+in+`) ORDER BY wc.work_id, wc.position`, args...)
	if err != nil {
		return nil, fmt.Errorf("load creators: %w", err)
	}
	for rows.Next() {
		var wid int64
		var c archive.Creator
		if err := rows.Scan(&wid, &c.PseudID, &c.Pseud, &c.UserID, &c.UserName); err != nil {
			rows.Close()
			return nil, err
		}
		if w := byID[wid]; w != nil {
			w.Creators = append(w.Creators, c)
		}
	}
	rows.Close()
	rows, err = s.db.QueryContext(ctx, `SELECT wt.work_id, t.type, wt.entered FROM work_tags wt JOIN tags t ON t.id = wt.tag_id
		WHERE wt.work_id IN (`+in+`) ORDER BY wt.work_id, wt.position`, args...)
	if err != nil {
		return nil, fmt.Errorf("load tags: %w", err)
	}
	for rows.Next() {
		var wid int64
		var typ, name string
		if err := rows.Scan(&wid, &typ, &name); err != nil {
			rows.Close()
			return nil, err
		}
		if w := byID[wid]; w != nil {
			t := archive.TagType(typ)
			w.Tags[t] = append(w.Tags[t], name)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := s.loadWorkExtras(ctx, byID, in, args); err != nil {
		return nil, err
	}
	out := make([]*archive.Work, 0, len(ids))
	for _, id := range ids {
		if w := byID[id]; w != nil {
			out = append(out, w)
		}
	}
	return out, rows.Err()
}

const chapterMeta = `id, work_id, position, title, summary_src, summary_fmt, summary_html, notes_src, notes_fmt, notes_html,
	end_notes_src, end_notes_fmt, end_notes_html, words, draft, posted_at, updated_at, publish_at`

func scanChapter(row interface{ Scan(...any) error }, bodies bool) (*archive.Chapter, error) {
	var c archive.Chapter
	var sf, nf, ef, bf string
	var posted, updated int64
	var publish sql.NullInt64
	dest := []any{&c.ID, &c.WorkID, &c.Position, &c.Title, &c.Summary.Source, &sf, &c.Summary.HTML, &c.Notes.Source, &nf, &c.Notes.HTML,
		&c.EndNotes.Source, &ef, &c.EndNotes.HTML, &c.Words, &c.Draft, &posted, &updated, &publish}
	if bodies {
		dest = append(dest, &c.Body.Source, &bf, &c.Body.HTML)
	}
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	c.Summary.Format, c.Notes.Format, c.EndNotes.Format, c.Body.Format = archive.Format(sf), archive.Format(nf), archive.Format(ef), archive.Format(bf)
	c.PostedAt, c.UpdatedAt = fromUnix(posted), fromUnix(updated)
	if publish.Valid {
		c.PublishAt = fromUnix(publish.Int64)
	}
	return &c, nil
}

func (s *Store) Chapters(ctx context.Context, workID int64, bodies bool) ([]*archive.Chapter, error) {
	cols := chapterMeta
	if bodies {
		cols += `, body_src, body_fmt, body_html`
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+cols+` FROM chapters WHERE work_id = ? ORDER BY position`, workID)
	if err != nil {
		return nil, fmt.Errorf("chapters of %d: %w", workID, err)
	}
	var out []*archive.Chapter
	for rows.Next() {
		c, err := scanChapter(rows, bodies)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := loadChapterCreators(ctx, s.db, workID, out); err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Store) Chapter(ctx context.Context, workID, chapterID int64) (*archive.Chapter, error) {
	c, err := scanChapter(s.db.QueryRowContext(ctx, `SELECT `+chapterMeta+`, body_src, body_fmt, body_html FROM chapters WHERE work_id = ? AND id = ?`, workID, chapterID), true)
	if err != nil {
		return nil, notFound(err, "chapter")
	}
	if err := loadChapterCreators(ctx, s.db, workID, []*archive.Chapter{c}); err != nil {
		return nil, err
	}
	return c, nil
}

// CreateChapter adds a chapter at c.Position (appending when 0 or past the end).
func (s *Store) CreateChapter(ctx context.Context, c *archive.Chapter) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM chapters WHERE work_id = ?`, c.WorkID).Scan(&n); err != nil {
			return err
		}
		if c.Position <= 0 || c.Position > n+1 {
			c.Position = n + 1
		}
		// Shift later chapters in two steps so (work_id, position) never collides.
		if c.Position <= n {
			if _, err := tx.ExecContext(ctx, `UPDATE chapters SET position = -(position + 1) WHERE work_id = ? AND position >= ?`, c.WorkID, c.Position); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE chapters SET position = -position WHERE work_id = ? AND position < 0`, c.WorkID); err != nil {
				return err
			}
		}
		if err := insertChapter(ctx, tx, c); err != nil {
			return err
		}
		return touchWork(ctx, tx, c.WorkID)
	})
}

func touchWork(ctx context.Context, tx *sql.Tx, workID int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE works SET edited_at = ? WHERE id = ?`, time.Now().Unix(), workID); err != nil {
		return err
	}
	if err := refreshWorkStats(ctx, tx, workID); err != nil {
		return err
	}
	return refreshFTS(ctx, tx, workID)
}

func (s *Store) UpdateChapter(ctx context.Context, c *archive.Chapter) error {
	c.UpdatedAt = time.Now().UTC()
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE chapters SET title = ?, summary_src = ?, summary_fmt = ?, summary_html = ?, notes_src = ?, notes_fmt = ?, notes_html = ?,
				end_notes_src = ?, end_notes_fmt = ?, end_notes_html = ?, body_src = ?, body_fmt = ?, body_html = ?, words = ?, draft = ?, posted_at = ?, updated_at = ?,
				publish_at = ?
			WHERE id = ? AND work_id = ?`,
			c.Title, c.Summary.Source, string(c.Summary.Format), c.Summary.HTML, c.Notes.Source, string(c.Notes.Format), c.Notes.HTML,
			c.EndNotes.Source, string(c.EndNotes.Format), c.EndNotes.HTML, c.Body.Source, string(c.Body.Format), c.Body.HTML, c.Words, b2i(c.Draft),
			unix(c.PostedAt), unix(c.UpdatedAt), nullUnix(c.PublishAt), c.ID, c.WorkID)
		if err != nil {
			return fmt.Errorf("update chapter %d: %w", c.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("chapter %d: %w", c.ID, archive.ErrNotFound)
		}
		return touchWork(ctx, tx, c.WorkID)
	})
}

func (s *Store) DeleteChapter(ctx context.Context, workID, chapterID int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var pos int
		err := tx.QueryRowContext(ctx, `DELETE FROM chapters WHERE id = ? AND work_id = ? RETURNING position`, chapterID, workID).Scan(&pos)
		if err != nil {
			return notFound(err, "chapter")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE chapters SET position = position - 1 WHERE work_id = ? AND position > ?`, workID, pos); err != nil {
			return err
		}
		return touchWork(ctx, tx, workID)
	})
}

func (s *Store) ReorderChapters(ctx context.Context, workID int64, ids []int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id FROM chapters WHERE work_id = ?`, workID)
		if err != nil {
			return err
		}
		have := map[int64]bool{}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			have[id] = true
		}
		rows.Close()
		seen := map[int64]bool{}
		for _, id := range ids {
			if !have[id] || seen[id] {
				return archive.Invalid("chapters", "the new order must name each of the work's chapters exactly once")
			}
			seen[id] = true
		}
		if len(seen) != len(have) {
			return archive.Invalid("chapters", "the new order must name each of the work's chapters exactly once")
		}
		for i, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE chapters SET position = ? WHERE id = ?`, i+1, id); err != nil {
				return err
			}
		}
		return touchWork(ctx, tx, workID)
	})
}

func (s *Store) WorkIDsByUser(ctx context.Context, userID int64) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT wc.work_id FROM work_creators wc JOIN pseuds p ON p.id = wc.pseud_id WHERE p.user_id = ? ORDER BY wc.work_id DESC`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// A work awaiting review is out of the listings as a hidden one is.
const indexCols = `id, language, words, chapters_posted, chapters_expected, draft, restricted,
	CASE WHEN hidden <> 0 OR EXISTS (SELECT 1 FROM work_reviews r WHERE r.work_id = works.id) THEN 1 ELSE 0 END, posted_at, updated_at,
	hits, kudos, comments, bookmarks, title_sort, creator_sort`

func scanIndexRow(row interface{ Scan(...any) error }) (store.IndexRow, error) {
	var r store.IndexRow
	err := row.Scan(&r.ID, &r.Language, &r.Words, &r.ChaptersPosted, &r.ChaptersExpected, &r.Draft, &r.Restricted, &r.Hidden,
		&r.PostedAt, &r.UpdatedAt, &r.Hits, &r.Kudos, &r.Comments, &r.Bookmarks, &r.TitleSort, &r.CreatorSort)
	return r, err
}

// IndexRows streams every work in id order with its tags and creators.
func (s *Store) IndexRows(ctx context.Context, fn func(store.IndexRow) error) error {
	tags, err := s.db.QueryContext(ctx, `SELECT work_id, tag_id FROM work_tags ORDER BY work_id`)
	if err != nil {
		return fmt.Errorf("index tags: %w", err)
	}
	defer tags.Close()
	creators, err := s.db.QueryContext(ctx, `SELECT wc.work_id, COALESCE(p.user_id, 0) FROM work_creators wc JOIN pseuds p ON p.id = wc.pseud_id ORDER BY wc.work_id`)
	if err != nil {
		return fmt.Errorf("index creators: %w", err)
	}
	defer creators.Close()
	items, err := s.db.QueryContext(ctx, `SELECT work_id, collection_id, state, anonymous, unrevealed FROM collection_items ORDER BY work_id`)
	if err != nil {
		return fmt.Errorf("index collection items: %w", err)
	}
	defer items.Close()
	var item itemFlags
	itemPending, itemsDone := false, false
	works, err := s.db.QueryContext(ctx, `SELECT `+indexCols+` FROM works ORDER BY id`)
	if err != nil {
		return fmt.Errorf("index works: %w", err)
	}
	defer works.Close()
	tagPair := newPairCursor(tags)
	creatorPair := newPairCursor(creators)
	for works.Next() {
		r, err := scanIndexRow(works)
		if err != nil {
			return err
		}
		if r.TagIDs, err = tagPair.take(r.ID); err != nil {
			return err
		}
		if r.CreatorUserIDs, err = creatorPair.take(r.ID); err != nil {
			return err
		}
		for !itemsDone {
			if !itemPending {
				if !items.Next() {
					itemsDone = true
					if err := items.Err(); err != nil {
						return err
					}
					break
				}
				if err := items.Scan(&item.work, &item.collection, &item.state, &item.anonymous, &item.unrevealed); err != nil {
					return err
				}
				itemPending = true
			}
			if item.work > r.ID {
				break
			}
			if item.work == r.ID {
				item.apply(&r)
			}
			itemPending = false
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return works.Err()
}

// pairCursor walks (work_id, value) rows ordered by work_id alongside the works.
type pairCursor struct {
	rows    *sql.Rows
	work    int64
	val     int64
	pending bool
	done    bool
}

func newPairCursor(rows *sql.Rows) *pairCursor { return &pairCursor{rows: rows} }

func (p *pairCursor) take(workID int64) ([]int64, error) {
	var out []int64
	for {
		if !p.pending && !p.done {
			if !p.rows.Next() {
				p.done = true
				if err := p.rows.Err(); err != nil {
					return nil, err
				}
			} else {
				if err := p.rows.Scan(&p.work, &p.val); err != nil {
					return nil, err
				}
				p.pending = true
			}
		}
		if p.done || p.work > workID {
			return out, nil
		}
		if p.work == workID {
			out = append(out, p.val)
		}
		p.pending = false
	}
}

func (s *Store) IndexRow(ctx context.Context, workID int64) (store.IndexRow, error) {
	r, err := scanIndexRow(s.db.QueryRowContext(ctx, `SELECT `+indexCols+` FROM works WHERE id = ?`, workID))
	if err != nil {
		return r, notFound(err, "work")
	}
	rows, err := s.db.QueryContext(ctx, `SELECT tag_id FROM work_tags WHERE work_id = ?`, workID)
	if err != nil {
		return r, err
	}
	r.TagIDs, err = collectIDs(rows)
	if err != nil {
		return r, err
	}
	rows, err = s.db.QueryContext(ctx, `SELECT COALESCE(p.user_id, 0) FROM work_creators wc JOIN pseuds p ON p.id = wc.pseud_id WHERE wc.work_id = ?`, workID)
	if err != nil {
		return r, err
	}
	if r.CreatorUserIDs, err = collectIDs(rows); err != nil {
		return r, err
	}
	rows, err = s.db.QueryContext(ctx, `SELECT collection_id, state, anonymous, unrevealed FROM collection_items WHERE work_id = ? ORDER BY collection_id`, workID)
	if err != nil {
		return r, err
	}
	defer rows.Close()
	for rows.Next() {
		var it itemFlags
		if err := rows.Scan(&it.collection, &it.state, &it.anonymous, &it.unrevealed); err != nil {
			return r, err
		}
		it.apply(&r)
	}
	return r, rows.Err()
}

// itemFlags is what the index learns from one collection item.
type itemFlags struct {
	work, collection      int64
	state                 string
	anonymous, unrevealed bool
}

func (it itemFlags) apply(r *store.IndexRow) {
	switch it.state {
	case archive.ItemApproved:
		r.Collections = append(r.Collections, it.collection)
	case archive.ItemPending:
	default:
		return
	}
	r.Anonymous = r.Anonymous || it.anonymous
	r.Unrevealed = r.Unrevealed || it.unrevealed
}

func collectIDs(rows *sql.Rows) ([]int64, error) { return scanColumn[int64](rows) }

// scanColumn reads a one-column result into a slice and closes the rows.
func scanColumn[T any](rows *sql.Rows) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// SearchText returns the ids, ascending, of works whose full text matches q.
// CJK characters are matched one a token, as they are indexed (writeFTS).
func (s *Store) SearchText(ctx context.Context, q store.TextQuery) ([]int64, error) {
	sp := func(l []string) []string {
		out := make([]string, len(l))
		for i, t := range l {
			out[i] = text.SpaceCJK(t)
		}
		return out
	}
	q.Terms, q.Not = sp(q.Terms), sp(q.Not)
	anyOf := make([][]string, len(q.AnyOf))
	for i, g := range q.AnyOf {
		anyOf[i] = sp(g)
	}
	q.AnyOf = anyOf
	fields := append(q.Fields[:0:0], q.Fields...)
	for i := range fields {
		fields[i].Text = text.SpaceCJK(fields[i].Text)
	}
	q.Fields = fields
	return s.engine.SearchText(ctx, s.db, q)
}

func (s *Store) SetWorkCounts(ctx context.Context, workID, hits, kudos int64) error {
	_, err := s.db.ExecContext(ctx, `UPDATE works SET hits = ?, kudos = ? WHERE id = ?`, hits, kudos, workID)
	return err
}

func (s *Store) CountWorks(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM works`).Scan(&n)
	return n, err
}
