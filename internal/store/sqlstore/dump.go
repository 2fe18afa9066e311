package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

// conflictError is a record the archive already has (archive.ErrConflict,
// without repeating its text).
type conflictError struct{ msg string }

func (e *conflictError) Error() string { return e.msg }
func (e *conflictError) Unwrap() error { return archive.ErrConflict }

func conflict(format string, args ...any) error {
	return &conflictError{msg: fmt.Sprintf(format, args...)}
}

// exportBatch is how many works the export loads at a time.
const exportBatch = 100

// ExportDump streams the archive from one read transaction (a WAL snapshot:
// writers go on, the export sees none of their changes).
func (s *Store) ExportDump(ctx context.Context, withSecrets bool, fn func(store.DumpRecord) error) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer conn.Close()
	// A read-only snapshot (on SQLite a deferred transaction, not the
	// pool's BEGIN IMMEDIATE: the export must not hold the write lock).
	if _, err := conn.ExecContext(ctx, s.engine.BeginSnapshot()); err != nil {
		return fmt.Errorf("export: begin: %w", err)
	}
	defer conn.ExecContext(context.Background(), `ROLLBACK`)

	tags, err := dumpTags(ctx, conn)
	if err != nil {
		return fmt.Errorf("export tags: %w", err)
	}
	for i := range tags {
		if err := fn(store.DumpRecord{Tag: &tags[i]}); err != nil {
			return err
		}
	}
	users, err := dumpUsers(ctx, conn, withSecrets)
	if err != nil {
		return fmt.Errorf("export users: %w", err)
	}
	for _, u := range users {
		if err := fn(store.DumpRecord{User: u}); err != nil {
			return err
		}
	}
	var after int64
	for {
		ws, err := dumpWorks(ctx, conn, after, exportBatch)
		if err != nil {
			return fmt.Errorf("export works: %w", err)
		}
		if len(ws) == 0 {
			break
		}
		for _, w := range ws {
			if err := fn(store.DumpRecord{Work: w}); err != nil {
				return err
			}
		}
		after = ws[len(ws)-1].Work.ID
	}
	if err := dumpSeries(ctx, conn, fn); err != nil {
		return err
	}
	// Comments by id: a reply's id is always greater than its parent's
	// (SQLite gives a new row an id above every other, and an import
	// refuses a reply whose parent comes later), so parents come first.
	for after = 0; ; {
		cs, err := dumpComments(ctx, conn, after, exportCommentBatch)
		if err != nil {
			return fmt.Errorf("export comments: %w", err)
		}
		if len(cs) == 0 {
			break
		}
		for _, c := range cs {
			if err := fn(store.DumpRecord{Comment: c}); err != nil {
				return err
			}
		}
		after = cs[len(cs)-1].Comment.ID
	}
	if err := dumpKudos(ctx, conn, fn); err != nil {
		return err
	}
	for after = 0; ; {
		bs, err := dumpBookmarks(ctx, conn, after, exportCommentBatch)
		if err != nil {
			return fmt.Errorf("export bookmarks: %w", err)
		}
		if len(bs) == 0 {
			return exportTail(ctx, conn, withSecrets, fn)
		}
		for _, b := range bs {
			if err := fn(store.DumpRecord{Bookmark: b}); err != nil {
				return err
			}
		}
		after = bs[len(bs)-1].Bookmark.ID
	}
}

// dumpTags returns every tag with its wrangling by name, ordered by id
// except that a tag comes after every tag its wrangling names (synonym
// target, meta tags, parent fandoms). Meta and parent lists are sorted by
// name, so the order does not depend on ids that an import renumbers.
func dumpTags(ctx context.Context, q queryer) ([]store.TagSpec, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+tagCols+` FROM tags ORDER BY id`)
	if err != nil {
		return nil, err
	}
	var all []archive.Tag
	byID := map[int64]int{}
	for rows.Next() {
		t, err := scanTag(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		byID[t.ID] = len(all)
		all = append(all, *t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	meta := map[int64][]int64{}
	parents := map[int64][]int64{}
	for _, p := range []struct {
		sql string
		m   map[int64][]int64
	}{{`SELECT sub_id, meta_id FROM tag_meta`, meta}, {`SELECT tag_id, fandom_id FROM tag_parents`, parents}} {
		rows, err := q.QueryContext(ctx, p.sql)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var a, b int64
			if err := rows.Scan(&a, &b); err != nil {
				rows.Close()
				return nil, err
			}
			p.m[a] = append(p.m[a], b)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	names := func(ids []int64) []string {
		out := make([]string, 0, len(ids))
		for _, id := range ids {
			if i, ok := byID[id]; ok {
				out = append(out, all[i].Name)
			}
		}
		sort.Slice(out, func(i, j int) bool {
			ki, kj := archive.TagKey(out[i]), archive.TagKey(out[j])
			if ki != kj {
				return ki < kj
			}
			return out[i] < out[j]
		})
		return out
	}
	out := make([]store.TagSpec, 0, len(all))
	state := map[int64]int{} // 1 visiting, 2 done
	var visit func(id int64)
	visit = func(id int64) {
		i, ok := byID[id]
		if !ok || state[id] != 0 {
			return
		}
		state[id] = 1
		t := all[i]
		if t.SynonymOf != 0 {
			visit(t.SynonymOf)
		}
		for _, m := range meta[id] {
			visit(m)
		}
		for _, p := range parents[id] {
			visit(p)
		}
		state[id] = 2
		sp := store.TagSpec{Type: t.Type, Name: t.Name, Canonical: t.Canonical, Meta: names(meta[id]), Parents: names(parents[id]), Media: t.Media}
		if j, ok := byID[t.SynonymOf]; ok && t.SynonymOf != 0 {
			sp.SynonymOf = all[j].Name
		}
		out = append(out, sp)
	}
	// Dependencies are visited in id order too.
	for _, m := range []map[int64][]int64{meta, parents} {
		for _, ids := range m {
			sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		}
	}
	for _, t := range all {
		visit(t.ID)
	}
	return out, nil
}

func dumpUsers(ctx context.Context, q queryer, withSecrets bool) ([]*store.DumpUser, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+userCols+` FROM users ORDER BY id`)
	if err != nil {
		return nil, err
	}
	var out []*store.DumpUser
	byID := map[int64]*store.DumpUser{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		if !withSecrets {
			u.PasswordHash = ""
		}
		du := &store.DumpUser{User: *u}
		byID[u.ID] = du
		out = append(out, du)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT user_id, old_name, renamed_at FROM user_renames ORDER BY user_id, renamed_at DESC, old_key`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var uid, at int64
		var f store.FormerName
		if err := rows.Scan(&uid, &f.Name, &at); err != nil {
			rows.Close()
			return nil, err
		}
		f.RenamedAt = fromUnix(at)
		if u := byID[uid]; u != nil {
			u.FormerNames = append(u.FormerNames, f)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT user_id, bio_src, bio_fmt, bio_html FROM user_profiles ORDER BY user_id`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var uid int64
		var bio archive.Rich
		var f string
		if err := rows.Scan(&uid, &bio.Source, &f, &bio.HTML); err != nil {
			rows.Close()
			return nil, err
		}
		bio.Format = archive.Format(f)
		if u := byID[uid]; u != nil {
			u.Bio = bio
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT user_id, name, is_default, created_at FROM pseuds WHERE user_id IS NOT NULL ORDER BY user_id, is_default DESC, name_key, id`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var uid, created int64
		var p store.DumpPseud
		if err := rows.Scan(&uid, &p.Name, &p.Default, &created); err != nil {
			rows.Close()
			return nil, err
		}
		p.CreatedAt = fromUnix(created)
		if u := byID[uid]; u != nil {
			u.Pseuds = append(u.Pseuds, p)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := dumpUserLinks(ctx, q, byID); err != nil {
		return nil, err
	}
	if !withSecrets {
		return out, nil
	}
	rows, err = q.QueryContext(ctx, `SELECT user_id, token_hash, name, created_at FROM api_tokens ORDER BY user_id, created_at, token_hash`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var uid, created int64
		var t store.DumpToken
		if err := rows.Scan(&uid, &t.Hash, &t.Name, &created); err != nil {
			rows.Close()
			return nil, err
		}
		t.CreatedAt = fromUnix(created)
		if u := byID[uid]; u != nil {
			u.Tokens = append(u.Tokens, t)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT user_id, token, created_at FROM feed_tokens ORDER BY user_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var uid, created int64
		var t store.DumpFeedToken
		if err := rows.Scan(&uid, &t.Token, &created); err != nil {
			return nil, err
		}
		t.CreatedAt = fromUnix(created)
		if u := byID[uid]; u != nil {
			u.FeedToken = &t
		}
	}
	return out, rows.Err()
}

// dumpWorks loads up to n works with ids after after, complete with
// creators, tags and chapters (bodies included).
func dumpWorks(ctx context.Context, q queryer, after int64, n int) ([]*store.DumpWork, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+workCols+` FROM works WHERE id > ? ORDER BY id LIMIT ?`, after, n)
	if err != nil {
		return nil, err
	}
	var out []*store.DumpWork
	byID := map[int64]*store.DumpWork{}
	var ids []int64
	for rows.Next() {
		w, err := scanWork(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		dw := &store.DumpWork{Work: w}
		out = append(out, dw)
		byID[w.ID] = dw
		ids = append(ids, w.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return nil, err
	}
	in := placeholders(len(ids))
	args := int64Args(ids)
	rows, err = q.QueryContext(ctx, `SELECT wc.work_id, p.id, p.name, COALESCE(p.user_id, 0), COALESCE(u.name, '')
		FROM work_creators wc JOIN pseuds p ON p.id = wc.pseud_id LEFT JOIN users u ON u.id = p.user_id
		WHERE wc.work_id IN (`+in+`) ORDER BY wc.work_id, wc.position`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var wid int64
		var c archive.Creator
		if err := rows.Scan(&wid, &c.PseudID, &c.Pseud, &c.UserID, &c.UserName); err != nil {
			rows.Close()
			return nil, err
		}
		if w := byID[wid]; w != nil {
			w.Work.Creators = append(w.Work.Creators, c)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT wt.work_id, t.type, wt.entered FROM work_tags wt JOIN tags t ON t.id = wt.tag_id
		WHERE wt.work_id IN (`+in+`) ORDER BY wt.work_id, wt.position`, args...)
	if err != nil {
		return nil, err
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
			w.Work.Tags[t] = append(w.Work.Tags[t], name)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT sw.work_id, s.id, s.title, sw.position FROM series_works sw JOIN series s ON s.id = sw.series_id
		WHERE sw.work_id IN (`+in+`) ORDER BY sw.work_id, s.id`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var wid int64
		var r archive.SeriesRef
		if err := rows.Scan(&wid, &r.ID, &r.Title, &r.Position); err != nil {
			rows.Close()
			return nil, err
		}
		if w := byID[wid]; w != nil {
			w.Series = append(w.Series, r)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT `+chapterMeta+`, body_src, body_fmt, body_html FROM chapters
		WHERE work_id IN (`+in+`) ORDER BY work_id, position, id`, args...)
	if err != nil {
		return nil, err
	}
	chapters := map[int64]*archive.Chapter{}
	for rows.Next() {
		c, err := scanChapter(rows, true)
		if err != nil {
			rows.Close()
			return nil, err
		}
		if w := byID[c.WorkID]; w != nil {
			w.Chapters = append(w.Chapters, c)
			chapters[c.ID] = c
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT cc.chapter_id, p.name FROM chapter_creators cc JOIN chapters c ON c.id = cc.chapter_id
		JOIN pseuds p ON p.id = cc.pseud_id WHERE c.work_id IN (`+in+`) ORDER BY cc.chapter_id, cc.position`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var cid int64
		var name string
		if err := rows.Scan(&cid, &name); err != nil {
			return nil, err
		}
		if c := chapters[cid]; c != nil {
			c.Creators = append(c.Creators, archive.Creator{Pseud: name})
		}
	}
	return out, rows.Err()
}

// ImportDump runs fn in one write transaction and commits only when fn
// succeeds and this is not a dry run.
func (s *Store) ImportDump(ctx context.Context, dryRun bool, fn func(store.DumpWriter) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	w := &dumpWriter{tx: tx, q: newStmtCache(tx), cache: newBatchCache(), pseuds: map[string]int64{}, users: map[string]int64{}, counts: map[int64]workCounts{}}
	err = fn(w)
	w.q.close()
	if err == nil && !dryRun {
		// The dump keeps its ids; new rows must be numbered after them.
		err = s.engine.SyncSequences(ctx, tx)
	}
	if err != nil || dryRun {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

type dumpWriter struct {
	tx     *sql.Tx
	q      *stmtCache
	cache  *batchCache
	pseuds map[string]int64 // name key → id
	users  map[string]int64 // name key → id
	// counts holds the counters of the works put in this transaction, as
	// the dump gives them: kudos and comments put later must not add to
	// them (the triggers would), nor bookmarks recount them.
	counts map[int64]workCounts
}

type workCounts struct{ kudos, comments, bookmarks int64 }

func (d *dumpWriter) PutTag(ctx context.Context, sp store.TagSpec) error {
	tag, err := ensureTag(ctx, d.q, sp.Type, sp.Name)
	if err != nil {
		return err
	}
	canonical := tag.Canonical || sp.Canonical || archive.FixedVocabulary(sp.Type) != nil
	syn := tag.SynonymOf
	if sp.SynonymOf != "" {
		target, err := ensureTag(ctx, d.q, sp.Type, sp.SynonymOf)
		if err != nil {
			return err
		}
		if target.ID == tag.ID {
			return archive.Invalid("synonym_of", "tag %q can't be a synonym of itself", sp.Name)
		}
		if syn != 0 && syn != target.ID {
			return conflict("tag %q is already a synonym of another tag in this archive", tag.Name)
		}
		syn = target.ID
	}
	if canonical && syn != 0 {
		return archive.Invalid("synonym_of", "tag %q can't be both canonical and a synonym (in this archive, or in the file)", tag.Name)
	}
	var synArg any
	if syn != 0 {
		synArg = syn
	}
	if _, err := d.q.ExecContext(ctx, `UPDATE tags SET canonical = ?, synonym_of = ? WHERE id = ?`, b2i(canonical), synArg, tag.ID); err != nil {
		return fmt.Errorf("wrangle %q: %w", sp.Name, err)
	}
	if sp.Media != "" {
		if _, err := d.q.ExecContext(ctx, `UPDATE tags SET media = ? WHERE id = ?`, sp.Media, tag.ID); err != nil {
			return fmt.Errorf("media of %q: %w", sp.Name, err)
		}
	}
	for _, m := range sp.Meta {
		meta, err := ensureTag(ctx, d.q, sp.Type, m)
		if err != nil {
			return err
		}
		if meta.ID == tag.ID {
			return archive.Invalid("meta", "tag %q can't be its own meta tag", sp.Name)
		}
		if _, err := d.q.ExecContext(ctx, `INSERT INTO tag_meta (sub_id, meta_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, tag.ID, meta.ID); err != nil {
			return err
		}
	}
	for _, p := range sp.Parents {
		parent, err := ensureTag(ctx, d.q, archive.TypeFandom, p)
		if err != nil {
			return err
		}
		if _, err := d.q.ExecContext(ctx, `INSERT INTO tag_parents (tag_id, fandom_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, tag.ID, parent.ID); err != nil {
			return err
		}
	}
	return nil
}

func (d *dumpWriter) PutUser(ctx context.Context, du *store.DumpUser) error {
	u := du.User
	prefs, _ := json.Marshal(u.Preferences)
	if u.CreatedAt.IsZero() {
		u.CreatedAt = time.Now().UTC()
	}
	var id int64
	var suspended int64
	if !u.SuspendedUntil.IsZero() {
		suspended = u.SuspendedUntil.Unix()
	}
	err := d.q.QueryRowContext(ctx, `INSERT INTO users (name, name_key, email, email_key, password_hash, roles, preferences, created_at,
			suspended_until, banned, moderation_reason)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		u.Name, userKey(u.Name), u.Email, userKey(u.Email), u.PasswordHash, strings.Join(u.Roles, ","), string(prefs), unix(u.CreatedAt),
		suspended, b2i(u.Banned), u.ModerationReason).Scan(&id)
	if isUnique(err) {
		return conflict("user %q or e-mail %q is already in this archive", u.Name, u.Email)
	}
	if err != nil {
		return fmt.Errorf("insert user %q: %w", u.Name, err)
	}
	d.users[userKey(u.Name)] = id
	for _, f := range du.FormerNames {
		_, err := d.q.ExecContext(ctx, `INSERT INTO user_renames (old_key, old_name, user_id, renamed_at) VALUES (?, ?, ?, ?)`,
			userKey(f.Name), f.Name, id, unix(f.RenamedAt))
		if isUnique(err) {
			return conflict("the former name %q of %q is already in this archive", f.Name, u.Name)
		}
		if err != nil {
			return fmt.Errorf("insert former name of %q: %w", u.Name, err)
		}
	}
	if err := setBio(ctx, d.q, id, du.Bio); err != nil {
		return fmt.Errorf("bio of %q: %w", u.Name, err)
	}
	pseuds := du.Pseuds
	if len(pseuds) == 0 {
		pseuds = []store.DumpPseud{{Name: u.Name, Default: true, CreatedAt: u.CreatedAt}}
	}
	for _, p := range pseuds {
		created := p.CreatedAt
		if created.IsZero() {
			created = u.CreatedAt
		}
		var pid int64
		err := d.q.QueryRowContext(ctx, `INSERT INTO pseuds (user_id, name, name_key, is_default, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			id, p.Name, userKey(p.Name), b2i(p.Default), unix(created)).Scan(&pid)
		if isUnique(err) {
			return conflict("pseud %q is already in this archive", p.Name)
		}
		if err != nil {
			return fmt.Errorf("insert pseud %q: %w", p.Name, err)
		}
		d.pseuds[userKey(p.Name)] = pid
	}
	for _, t := range du.Tokens {
		created := t.CreatedAt
		if created.IsZero() {
			created = u.CreatedAt
		}
		_, err := d.q.ExecContext(ctx, `INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES (?, ?, ?, ?)`, t.Hash, id, t.Name, unix(created))
		if isUnique(err) {
			return conflict("an API token of %q is already in this archive", u.Name)
		}
		if err != nil {
			return fmt.Errorf("insert API token: %w", err)
		}
	}
	if ft := du.FeedToken; ft != nil {
		created := ft.CreatedAt
		if created.IsZero() {
			created = u.CreatedAt
		}
		_, err := d.q.ExecContext(ctx, `INSERT INTO feed_tokens (user_id, token, created_at) VALUES (?, ?, ?)`, id, ft.Token, unix(created))
		if isUnique(err) {
			return conflict("the feed token of %q is already in this archive", u.Name)
		}
		if err != nil {
			return fmt.Errorf("insert feed token: %w", err)
		}
	}
	return nil
}

func (d *dumpWriter) pseudID(ctx context.Context, name string) (int64, error) {
	key := userKey(name)
	if id, ok := d.pseuds[key]; ok {
		return id, nil
	}
	var id int64
	err := d.q.QueryRowContext(ctx, `SELECT id FROM pseuds WHERE name_key = ?`, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) && key == OrphanPseud {
		id, err = orphanPseudID(ctx, d.tx)
	} else if errors.Is(err, sql.ErrNoRows) && isOrphanPseudName(name) {
		id, err = namedOrphanPseud(ctx, d.tx, strings.TrimSpace(name))
	}
	if errors.Is(err, sql.ErrNoRows) {
		return 0, archive.Invalid("creators", "there is no pseud named %q (in this archive or earlier in the file)", name)
	}
	if err != nil {
		return 0, fmt.Errorf("find pseud %q: %w", name, err)
	}
	d.pseuds[key] = id
	return id, nil
}

// PutWork inserts a validated work with its own id, its chapters with
// theirs, and the timestamps it carries.
func (d *dumpWriter) PutWork(ctx context.Context, dw *store.DumpWork) error {
	w := dw.Work
	if w.ID < 0 {
		return archive.Invalid("id", "a work needs a positive id")
	}
	var pseudIDs []int64
	var creatorNames []string
	creatorSort := ""
	for i, c := range w.Creators {
		pid, err := d.pseudID(ctx, c.Pseud)
		if err != nil {
			return err
		}
		name, key, err := d.cache.pseud(ctx, d.q, pid)
		if err != nil {
			return err
		}
		if i == 0 {
			creatorSort = key
		}
		pseudIDs = append(pseudIDs, pid)
		creatorNames = append(creatorNames, name)
	}
	// What the work derives from its chapters.
	updated := w.PostedAt
	w.Words, w.ChaptersPosted = 0, 0
	for _, c := range dw.Chapters {
		if c.PostedAt.IsZero() {
			c.PostedAt = w.PostedAt
		}
		if c.UpdatedAt.IsZero() {
			c.UpdatedAt = c.PostedAt
		}
		if !c.Draft {
			w.Words += c.Words
			w.ChaptersPosted++
			if c.PostedAt.After(updated) {
				updated = c.PostedAt
			}
		}
	}
	if w.UpdatedAt.IsZero() {
		w.UpdatedAt = updated
	}
	if w.EditedAt.IsZero() {
		w.EditedAt = w.UpdatedAt
	}
	if w.CreatedAt.IsZero() {
		w.CreatedAt = w.PostedAt
	}
	// Id 0: a new work of another archive's import, numbered here.
	idCol, idVal, returning := "id, ", "?, ", ""
	var workArgs []any
	if w.ID == 0 {
		idCol, idVal, returning = "", "", " RETURNING id"
	} else {
		workArgs = append(workArgs, w.ID)
	}
	workArgs = append(workArgs, w.Title, w.Summary.Source, string(w.Summary.Format), w.Summary.HTML, w.Notes.Source, string(w.Notes.Format), w.Notes.HTML,
		w.EndNotes.Source, string(w.EndNotes.Format), w.EndNotes.HTML, w.Language, w.ChaptersPosted, w.ChaptersExpected, w.Words,
		b2i(w.Draft), b2i(w.Restricted), b2i(w.Hidden), w.CommentPermission, b2i(w.ModeratedComments),
		unix(w.PostedAt), unix(w.UpdatedAt), unix(w.EditedAt), unix(w.CreatedAt), w.Hits, w.Kudos, w.Comments, w.Bookmarks,
		archive.TitleSortKey(w.Title), creatorSort, w.HiddenReason, b2i(w.HiddenByBan), nullUnix(w.PublishAt))
	workSQL := `INSERT INTO works (` + idCol + `title, summary_src, summary_fmt, summary_html, notes_src, notes_fmt, notes_html,
			end_notes_src, end_notes_fmt, end_notes_html, language, chapters_posted, chapters_expected, words, draft, restricted, hidden,
			comment_permission, moderated_comments, posted_at, updated_at, edited_at, created_at, hits, kudos, comments, bookmarks, title_sort, creator_sort,
			hidden_reason, hidden_by_ban, publish_at)
		VALUES (` + idVal + `?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)` + returning
	var err error
	if w.ID == 0 {
		err = d.q.QueryRowContext(ctx, workSQL, workArgs...).Scan(&w.ID)
	} else {
		_, err = d.q.ExecContext(ctx, workSQL, workArgs...)
	}
	if isUnique(err) {
		return conflict("work %d is already in this archive", w.ID)
	}
	if err != nil {
		return fmt.Errorf("insert work %d: %w", w.ID, err)
	}
	if w.AwaitingReview {
		if _, err := d.q.ExecContext(ctx, `INSERT INTO work_reviews (work_id, created_at) VALUES (?, ?)`, w.ID, unix(w.CreatedAt)); err != nil {
			return fmt.Errorf("hold work %d for review: %w", w.ID, err)
		}
	}
	d.counts[w.ID] = workCounts{w.Kudos, w.Comments, w.Bookmarks}
	for i, pid := range pseudIDs {
		if _, err := d.q.ExecContext(ctx, `INSERT INTO work_creators (work_id, pseud_id, position) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, w.ID, pid, i); err != nil {
			return fmt.Errorf("insert creator: %w", err)
		}
	}
	if err := writeWorkTags(ctx, d.q, w, d.cache.tags); err != nil {
		return err
	}
	var body strings.Builder
	for i, c := range dw.Chapters {
		c.WorkID = w.ID
		c.Position = i + 1
		if c.ID < 0 {
			return archive.Invalid("chapters", "chapter %d needs a positive id", i+1)
		}
		idCol, idVal, returning := "id, ", "?, ", ""
		var chArgs []any
		if c.ID == 0 {
			idCol, idVal, returning = "", "", " RETURNING id"
		} else {
			chArgs = append(chArgs, c.ID)
		}
		chArgs = append(chArgs, c.WorkID, c.Position, c.Title, c.Summary.Source, string(c.Summary.Format), c.Summary.HTML, c.Notes.Source, string(c.Notes.Format), c.Notes.HTML,
			c.EndNotes.Source, string(c.EndNotes.Format), c.EndNotes.HTML, c.Body.Source, string(c.Body.Format), c.Body.HTML, c.Words, b2i(c.Draft),
			unix(c.PostedAt), unix(c.UpdatedAt), nullUnix(c.PublishAt))
		chSQL := `INSERT INTO chapters (` + idCol + `work_id, position, title, summary_src, summary_fmt, summary_html, notes_src, notes_fmt, notes_html,
				end_notes_src, end_notes_fmt, end_notes_html, body_src, body_fmt, body_html, words, draft, posted_at, updated_at, publish_at)
			VALUES (` + idVal + `?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)` + returning
		var err error
		if c.ID == 0 {
			err = d.q.QueryRowContext(ctx, chSQL, chArgs...).Scan(&c.ID)
		} else {
			_, err = d.q.ExecContext(ctx, chSQL, chArgs...)
		}
		if isUnique(err) {
			return conflict("chapter %d is already in this archive", c.ID)
		}
		if err != nil {
			return fmt.Errorf("insert chapter %d: %w", c.ID, err)
		}
		if !c.Draft {
			body.WriteString(chapterText(c))
		}
		for i, cc := range c.Creators {
			pid, err := d.pseudID(ctx, cc.Pseud)
			if err != nil {
				return err
			}
			if !slices.Contains(pseudIDs, pid) {
				return archive.Invalid("creators", "chapter %d credits %q, who is not among work %d's creators", c.ID, cc.Pseud, w.ID)
			}
			if _, err := d.q.ExecContext(ctx, `INSERT INTO chapter_creators (chapter_id, pseud_id, position) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, c.ID, pid, i); err != nil {
				return fmt.Errorf("insert chapter creator: %w", err)
			}
		}
	}
	var tagNames []string
	for _, t := range archive.TagTypes {
		tagNames = append(tagNames, w.Tags[t]...)
	}
	return writeFTS(ctx, d.q, w.ID, w.Title, w.Summary.HTML, w.Notes.HTML, w.EndNotes.HTML, creatorNames, tagNames, body.String())
}

// exportCommentBatch is how many comments or bookmarks the export loads at
// a time.
const exportCommentBatch = 1000

// dumpUserLinks fills each user's muted tags (sorted by name, then type),
// muted users and blocked users (by name).
func dumpUserLinks(ctx context.Context, q queryer, byID map[int64]*store.DumpUser) error {
	rows, err := q.QueryContext(ctx, `SELECT m.user_id, t.type, t.name FROM muted_tags m JOIN tags t ON t.id = m.tag_id ORDER BY m.user_id, t.name_key, t.type, t.name`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var uid int64
		var typ, name string
		if err := rows.Scan(&uid, &typ, &name); err != nil {
			rows.Close()
			return err
		}
		if u := byID[uid]; u != nil {
			u.MutedTags = append(u.MutedTags, store.DumpTagRef{Type: archive.TagType(typ), Name: name})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, l := range []struct {
		sql string
		get func(u *store.DumpUser) *[]string
	}{
		{`SELECT m.user_id, u.name FROM muted_users m JOIN users u ON u.id = m.muted_id ORDER BY m.user_id, u.name_key`,
			func(u *store.DumpUser) *[]string { return &u.MutedUsers }},
		{`SELECT b.blocker_id, u.name FROM blocks b JOIN users u ON u.id = b.blocked_id ORDER BY b.blocker_id, u.name_key`,
			func(u *store.DumpUser) *[]string { return &u.BlockedUsers }},
	} {
		rows, err := q.QueryContext(ctx, l.sql)
		if err != nil {
			return err
		}
		for rows.Next() {
			var uid int64
			var name string
			if err := rows.Scan(&uid, &name); err != nil {
				rows.Close()
				return err
			}
			if u := byID[uid]; u != nil {
				p := l.get(u)
				*p = append(*p, name)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// dumpComments loads up to n comments with ids after after, naming their
// writers; the address hash is never read.
func dumpComments(ctx context.Context, q queryer, after int64, n int) ([]*store.DumpComment, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.work_id, c.chapter_id, COALESCE(c.parent_id, 0), COALESCE(u.name, ''), COALESCE(p.name, ''),
			c.guest_name, c.guest_email, c.body_src, c.body_fmt, c.body_html, c.approved, c.frozen, c.deleted, c.created_at, c.edited_at,
			CASE WHEN c.hidden <> 0 THEN 1 ELSE 0 END
		FROM comments c LEFT JOIN users u ON u.id = c.user_id LEFT JOIN pseuds p ON p.id = c.pseud_id
		WHERE c.id > ? ORDER BY c.id LIMIT ?`, after, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.DumpComment
	for rows.Next() {
		var dc store.DumpComment
		c := &dc.Comment
		var f string
		var created, edited int64
		if err := rows.Scan(&c.ID, &c.WorkID, &c.ChapterID, &c.ParentID, &c.UserName, &c.Pseud, &c.GuestName, &c.GuestEmail,
			&c.Body.Source, &f, &c.Body.HTML, &c.Approved, &c.Frozen, &c.Deleted, &created, &edited, &c.Hidden); err != nil {
			return nil, err
		}
		c.Body.Format = archive.Format(f)
		c.CreatedAt, c.EditedAt = fromUnix(created), fromUnix(edited)
		out = append(out, &dc)
	}
	return out, rows.Err()
}

// dumpKudos streams every kudos by work, then time, then id. fn must not
// use the connection (the export's fn only writes).
func dumpKudos(ctx context.Context, q queryer, fn func(store.DumpRecord) error) error {
	rows, err := q.QueryContext(ctx, `SELECT k.work_id, COALESCE(u.name, ''), k.created_at FROM kudos k LEFT JOIN users u ON u.id = k.user_id
		ORDER BY k.work_id, k.created_at, k.id`)
	if err != nil {
		return fmt.Errorf("export kudos: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k store.DumpKudos
		var created int64
		if err := rows.Scan(&k.WorkID, &k.User, &created); err != nil {
			return fmt.Errorf("export kudos: %w", err)
		}
		k.CreatedAt = fromUnix(created)
		if err := fn(store.DumpRecord{Kudos: &k}); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export kudos: %w", err)
	}
	return nil
}

// dumpBookmarks loads up to n bookmarks with ids after after, with their tags.
func dumpBookmarks(ctx context.Context, q queryer, after int64, n int) ([]*store.DumpBookmark, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+bookmarkCols+` FROM bookmarks b JOIN users u ON u.id = b.user_id WHERE b.id > ? ORDER BY b.id LIMIT ?`, after, n)
	if err != nil {
		return nil, err
	}
	var out []*store.DumpBookmark
	byID := map[int64]*store.DumpBookmark{}
	var ids []int64
	for rows.Next() {
		b, err := scanBookmark(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		b.Tags = []string{}
		db := &store.DumpBookmark{Bookmark: *b}
		out = append(out, db)
		byID[b.ID] = db
		ids = append(ids, b.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT bookmark_id, name FROM bookmark_tags WHERE bookmark_id IN (`+placeholders(len(ids))+`) ORDER BY bookmark_id, position`, int64Args(ids)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		if b := byID[id]; b != nil {
			b.Bookmark.Tags = append(b.Bookmark.Tags, name)
		}
	}
	return out, rows.Err()
}

// userID finds an account by name, in this file or already in the archive.
func (d *dumpWriter) userID(ctx context.Context, field, name string) (int64, error) {
	key := userKey(name)
	if id, ok := d.users[key]; ok {
		return id, nil
	}
	var id int64
	err := d.q.QueryRowContext(ctx, `SELECT id FROM users WHERE name_key = ?`, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, archive.Invalid(field, "there is no user named %q (in this archive or earlier in the file)", name)
	}
	if err != nil {
		return 0, fmt.Errorf("find user %q: %w", name, err)
	}
	d.users[key] = id
	return id, nil
}

// keepCounts puts back the counters of a work put in this transaction,
// which the kudos and comments triggers have just changed.
func (d *dumpWriter) keepCounts(ctx context.Context, workID int64) (bool, error) {
	c, ok := d.counts[workID]
	if !ok {
		return false, nil
	}
	_, err := d.q.ExecContext(ctx, `UPDATE works SET kudos = ?, comments = ?, bookmarks = ? WHERE id = ?`, c.kudos, c.comments, c.bookmarks, workID)
	if err != nil {
		return true, fmt.Errorf("work %d counts: %w", workID, err)
	}
	return true, nil
}

// workExists reports whether the archive (this file included) has the work.
func (d *dumpWriter) workExists(ctx context.Context, id int64) (bool, error) {
	if _, ok := d.counts[id]; ok {
		return true, nil
	}
	var one int
	err := d.q.QueryRowContext(ctx, `SELECT 1 FROM works WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// PutComment inserts a comment with its id, on a chapter and under a parent
// the archive already has. Its address hash is left blank.
func (d *dumpWriter) PutComment(ctx context.Context, dc *store.DumpComment) error {
	c := &dc.Comment
	if c.ID < 0 {
		return archive.Invalid("id", "a comment needs a positive id")
	}
	var workID int64
	err := d.q.QueryRowContext(ctx, `SELECT work_id FROM chapters WHERE id = ?`, c.ChapterID).Scan(&workID)
	if errors.Is(err, sql.ErrNoRows) {
		return archive.Invalid("chapter_id", "there is no chapter %d (in this archive or earlier in the file)", c.ChapterID)
	}
	if err != nil {
		return fmt.Errorf("comment %d: %w", c.ID, err)
	}
	if c.WorkID != 0 && c.WorkID != workID {
		return archive.Invalid("work_id", "chapter %d is in work %d, not %d", c.ChapterID, workID, c.WorkID)
	}
	if c.ParentID > 0 {
		if c.ID != 0 && c.ParentID >= c.ID {
			return archive.Invalid("parent_id", "a reply's id must be greater than its parent's (%d ≥ %d)", c.ParentID, c.ID)
		}
		var chapter int64
		err := d.q.QueryRowContext(ctx, `SELECT chapter_id FROM comments WHERE id = ?`, c.ParentID).Scan(&chapter)
		if errors.Is(err, sql.ErrNoRows) {
			return archive.Invalid("parent_id", "there is no comment %d to reply to (in this archive or earlier in the file)", c.ParentID)
		}
		if err != nil {
			return fmt.Errorf("comment %d: %w", c.ID, err)
		}
		if chapter != c.ChapterID {
			return archive.Invalid("parent_id", "comment %d is on chapter %d, not %d", c.ParentID, chapter, c.ChapterID)
		}
	}
	var userID, pseudID int64
	if c.UserName != "" {
		if userID, err = d.userID(ctx, "user", c.UserName); err != nil {
			return err
		}
	}
	if c.Pseud != "" {
		var owner int64
		err := d.q.QueryRowContext(ctx, `SELECT id, COALESCE(user_id, 0) FROM pseuds WHERE name_key = ?`, userKey(c.Pseud)).Scan(&pseudID, &owner)
		if errors.Is(err, sql.ErrNoRows) {
			return archive.Invalid("pseud", "there is no pseud named %q (in this archive or earlier in the file)", c.Pseud)
		}
		if err != nil {
			return fmt.Errorf("comment %d: %w", c.ID, err)
		}
		if userID != 0 && owner != userID {
			return archive.Invalid("pseud", "pseud %q is not %q's", c.Pseud, c.UserName)
		}
	}
	args := []any{workID, c.ChapterID, nullID(c.ParentID), nullID(userID), nullID(pseudID), c.GuestName, c.GuestEmail,
		c.Body.Source, string(c.Body.Format), c.Body.HTML, b2i(c.Approved), b2i(c.Frozen), b2i(c.Deleted), unix(c.CreatedAt), unix(c.EditedAt), b2i(c.Hidden)}
	const commentCols = `work_id, chapter_id, parent_id, user_id, pseud_id, guest_name, guest_email,
			body_src, body_fmt, body_html, approved, frozen, deleted, address_hash, created_at, edited_at, hidden`
	if c.ID == 0 {
		// A new comment of another archive's import, numbered here.
		err = d.q.QueryRowContext(ctx, `INSERT INTO comments (`+commentCols+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?) RETURNING id`, args...).Scan(&c.ID)
	} else {
		_, err = d.q.ExecContext(ctx, `INSERT INTO comments (id, `+commentCols+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?)`, append([]any{c.ID}, args...)...)
	}
	if isUnique(err) {
		return conflict("comment %d is already in this archive", c.ID)
	}
	if err != nil {
		return fmt.Errorf("insert comment %d: %w", c.ID, err)
	}
	_, err = d.keepCounts(ctx, workID)
	return err
}

// guestKey is a fresh random key for an imported guest kudos: the dump
// carries no guest identity, so it can match no later kudos.
func guestKey() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "import-" + hex.EncodeToString(b), nil
}

// PutKudos inserts a kudos by an account, or by a guest with a fresh key.
func (d *dumpWriter) PutKudos(ctx context.Context, k *store.DumpKudos) error {
	ok, err := d.workExists(ctx, k.WorkID)
	if err != nil {
		return fmt.Errorf("kudos on work %d: %w", k.WorkID, err)
	}
	if !ok {
		return archive.Invalid("work_id", "there is no work %d (in this archive or earlier in the file)", k.WorkID)
	}
	var user, guest any
	if k.User != "" {
		id, err := d.userID(ctx, "user", k.User)
		if err != nil {
			return err
		}
		user = id
	} else {
		key, err := guestKey()
		if err != nil {
			return err
		}
		guest = key
	}
	_, err = d.q.ExecContext(ctx, `INSERT INTO kudos (work_id, user_id, guest_key, created_at) VALUES (?, ?, ?, ?)`, k.WorkID, user, guest, unix(k.CreatedAt))
	if isUnique(err) {
		return conflict("%q already left kudos on work %d (in this archive or earlier in the file)", k.User, k.WorkID)
	}
	if err != nil {
		return fmt.Errorf("insert kudos on work %d: %w", k.WorkID, err)
	}
	_, err = d.keepCounts(ctx, k.WorkID)
	return err
}

// PutBookmark inserts a bookmark with its id and tags. A work put in this
// transaction keeps its bookmarks count; another work is recounted. A
// bookmark of a series counts toward no work.
func (d *dumpWriter) PutBookmark(ctx context.Context, db *store.DumpBookmark) error {
	b := db.Bookmark
	if b.ID <= 0 {
		return archive.Invalid("id", "a bookmark needs a positive id")
	}
	userID, err := d.userID(ctx, "user", b.UserName)
	if err != nil {
		return err
	}
	kind, what := "work", fmt.Sprintf("work %d", b.WorkID)
	var seriesID any
	if b.OfSeries {
		if b.WorkID != 0 || b.WorkTitle != "" {
			return archive.Invalid("work_id", "a bookmark of a series names no work")
		}
		kind, what = bookmarkKindSeries, fmt.Sprintf("series %d", b.SeriesID)
		if b.SeriesID > 0 {
			var title string
			err := d.q.QueryRowContext(ctx, `SELECT title FROM series WHERE id = ?`, b.SeriesID).Scan(&title)
			if errors.Is(err, sql.ErrNoRows) {
				return archive.Invalid("series_id", "there is no series %d (in this archive or earlier in the file); a bookmark of a deleted series has series_id null", b.SeriesID)
			}
			if err != nil {
				return fmt.Errorf("bookmark %d: %w", b.ID, err)
			}
			if b.SeriesTitle == "" {
				b.SeriesTitle = title
			}
			seriesID = b.SeriesID
		}
	} else if b.SeriesID != 0 || b.SeriesTitle != "" {
		return archive.Invalid("series_id", "a bookmark of a work names no series")
	} else if b.WorkID > 0 {
		ok, err := d.workExists(ctx, b.WorkID)
		if err != nil {
			return fmt.Errorf("bookmark %d: %w", b.ID, err)
		}
		if !ok {
			return archive.Invalid("work_id", "there is no work %d (in this archive or earlier in the file); a bookmark of a deleted work has work_id null", b.WorkID)
		}
		if b.WorkTitle == "" {
			if err := d.q.QueryRowContext(ctx, `SELECT title FROM works WHERE id = ?`, b.WorkID).Scan(&b.WorkTitle); err != nil {
				return fmt.Errorf("bookmark %d: %w", b.ID, err)
			}
		}
	}
	_, err = d.q.ExecContext(ctx, `INSERT INTO bookmarks (id, user_id, kind, work_id, work_title, series_id, series_title, notes_src, notes_fmt, notes_html, rec, private, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		b.ID, userID, kind, nullID(b.WorkID), b.WorkTitle, seriesID, b.SeriesTitle, b.Notes.Source, string(b.Notes.Format), b.Notes.HTML, b2i(b.Rec), b2i(b.Private),
		unix(b.CreatedAt), unix(b.UpdatedAt))
	if isUnique(err) {
		if strings.Contains(err.Error(), "bookmarks.id") || strings.Contains(err.Error(), "bookmarks_pkey") {
			return conflict("bookmark %d is already in this archive", b.ID)
		}
		return conflict("%q already bookmarked %s (in this archive or earlier in the file)", b.UserName, what)
	}
	if err != nil {
		return fmt.Errorf("insert bookmark %d: %w", b.ID, err)
	}
	for i, t := range b.Tags {
		if _, err := d.q.ExecContext(ctx, `INSERT INTO bookmark_tags (bookmark_id, position, name) VALUES (?, ?, ?)`, b.ID, i, t); err != nil {
			return fmt.Errorf("bookmark %d tags: %w", b.ID, err)
		}
	}
	if b.WorkID == 0 {
		return nil
	}
	if kept, err := d.keepCounts(ctx, b.WorkID); kept || err != nil {
		return err
	}
	return recountBookmarks(ctx, d.tx, b.WorkID)
}

// PutUserLinks writes the user's muted tags, muted users and blocks, by
// name; every tag and account they name must be in the archive by now.
// A tag with an empty Type is found by name alone when only one type has it.
func (d *dumpWriter) PutUserLinks(ctx context.Context, du *store.DumpUser) error {
	if len(du.MutedTags) == 0 && len(du.MutedUsers) == 0 && len(du.BlockedUsers) == 0 {
		return nil
	}
	uid, err := d.userID(ctx, "name", du.User.Name)
	if err != nil {
		return err
	}
	for _, t := range du.MutedTags {
		id, err := d.tagID(ctx, t)
		if err != nil {
			return err
		}
		if _, err := d.q.ExecContext(ctx, `INSERT INTO muted_tags (user_id, tag_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, uid, id); err != nil {
			return fmt.Errorf("mute tag %q: %w", t.Name, err)
		}
	}
	for _, l := range []struct {
		field, sql string
		names      []string
		arg        []any
	}{
		{"muted_users", `INSERT INTO muted_users (user_id, muted_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, du.MutedUsers, nil},
		{"blocked_users", `INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, du.BlockedUsers, []any{unix(du.BlockedAt)}},
	} {
		for _, name := range l.names {
			other, err := d.userID(ctx, l.field, name)
			if err != nil {
				return err
			}
			if other == uid {
				return archive.Invalid(l.field, "%q can't name themselves", du.User.Name)
			}
			if _, err := d.q.ExecContext(ctx, l.sql, append([]any{uid, other}, l.arg...)...); err != nil {
				return fmt.Errorf("%s %q: %w", l.field, name, err)
			}
		}
	}
	return nil
}

// tagID finds a muted tag by type and name, or by name alone.
func (d *dumpWriter) tagID(ctx context.Context, t store.DumpTagRef) (int64, error) {
	key := archive.TagKey(t.Name)
	if t.Type != "" {
		var id int64
		err := d.q.QueryRowContext(ctx, `SELECT id FROM tags WHERE type = ? AND name_key = ?`, string(t.Type), key).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, archive.Invalid("muted_tags", "there is no %s tag named %q (in this archive or earlier in the file)", t.Type, t.Name)
		}
		if err != nil {
			return 0, fmt.Errorf("find tag %q: %w", t.Name, err)
		}
		return id, nil
	}
	rows, err := d.q.QueryContext(ctx, `SELECT id, type FROM tags WHERE name_key = ? ORDER BY type`, key)
	if err != nil {
		return 0, fmt.Errorf("find tag %q: %w", t.Name, err)
	}
	defer rows.Close()
	var ids []int64
	var types []string
	for rows.Next() {
		var id int64
		var typ string
		if err := rows.Scan(&id, &typ); err != nil {
			return 0, err
		}
		ids, types = append(ids, id), append(types, typ)
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	switch len(ids) {
	case 0:
		return 0, archive.Invalid("muted_tags", "there is no tag named %q (in this archive or earlier in the file)", t.Name)
	case 1:
		return ids[0], nil
	}
	return 0, archive.Invalid("muted_tags", "tags of several types are named %q (%s); name it as {\"name\",\"tag_type\"}", t.Name, strings.Join(types, ", "))
}
