package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"quire/internal/archive"
	"quire/internal/store"
)

// The dump's later records: series, subscriptions, reading history and
// redirects (dump.go has the rest).

// dumpSeries streams every series by id, with its creators (pseud names,
// in byline order) and its works in order.
func dumpSeries(ctx context.Context, q queryer, fn func(store.DumpRecord) error) error {
	rows, err := q.QueryContext(ctx, `SELECT id, title, summary_src, summary_fmt, summary_html, notes_src, notes_fmt, notes_html, complete, created_at, updated_at
		FROM series ORDER BY id`)
	if err != nil {
		return fmt.Errorf("export series: %w", err)
	}
	var all []*store.DumpSeries
	byID := map[int64]*store.DumpSeries{}
	for rows.Next() {
		ds := &store.DumpSeries{}
		sr := &ds.Series
		var sf, nf string
		var created, updated int64
		if err := rows.Scan(&sr.ID, &sr.Title, &sr.Summary.Source, &sf, &sr.Summary.HTML, &sr.Notes.Source, &nf, &sr.Notes.HTML,
			&sr.Complete, &created, &updated); err != nil {
			rows.Close()
			return fmt.Errorf("export series: %w", err)
		}
		sr.Summary.Format, sr.Notes.Format = archive.Format(sf), archive.Format(nf)
		sr.CreatedAt, sr.UpdatedAt = fromUnix(created), fromUnix(updated)
		all = append(all, ds)
		byID[sr.ID] = ds
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export series: %w", err)
	}
	if len(all) == 0 {
		return nil
	}
	rows, err = q.QueryContext(ctx, `SELECT sc.series_id, p.name FROM series_creators sc JOIN pseuds p ON p.id = sc.pseud_id
		ORDER BY sc.series_id, sc.position, p.id`)
	if err != nil {
		return fmt.Errorf("export series creators: %w", err)
	}
	for rows.Next() {
		var id int64
		var c archive.Creator
		if err := rows.Scan(&id, &c.Pseud); err != nil {
			rows.Close()
			return err
		}
		if ds := byID[id]; ds != nil {
			ds.Series.Creators = append(ds.Series.Creators, c)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export series creators: %w", err)
	}
	rows, err = q.QueryContext(ctx, `SELECT series_id, work_id, position FROM series_works ORDER BY series_id, position, work_id`)
	if err != nil {
		return fmt.Errorf("export series works: %w", err)
	}
	for rows.Next() {
		var id int64
		var e archive.SeriesEntry
		if err := rows.Scan(&id, &e.WorkID, &e.Position); err != nil {
			rows.Close()
			return err
		}
		if ds := byID[id]; ds != nil {
			ds.Series.Works = append(ds.Series.Works, e)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export series works: %w", err)
	}
	for _, ds := range all {
		if err := fn(store.DumpRecord{Series: ds}); err != nil {
			return err
		}
	}
	return nil
}

// dumpSubscriptions streams every subscription by id, naming the reader
// and, for a creator subscription, the creator.
func dumpSubscriptions(ctx context.Context, q queryer, fn func(store.DumpRecord) error) error {
	rows, err := q.QueryContext(ctx, `SELECT u.name, s.kind, s.target, COALESCE(t.name, ''), s.created_at
		FROM subscriptions s JOIN users u ON u.id = s.user_id LEFT JOIN users t ON s.kind = 'user' AND t.id = s.target
		ORDER BY s.id`)
	if err != nil {
		return fmt.Errorf("export subscriptions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s store.DumpSubscription
		var created int64
		if err := rows.Scan(&s.User, &s.Kind, &s.Target, &s.TargetUser, &created); err != nil {
			return fmt.Errorf("export subscriptions: %w", err)
		}
		s.CreatedAt = fromUnix(created)
		if s.Kind == "user" {
			if s.TargetUser == "" {
				continue // the account is gone
			}
			s.Target = 0
		}
		if err := fn(store.DumpRecord{Subscription: &s}); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export subscriptions: %w", err)
	}
	return nil
}

// dumpReadings streams the reading history by reader name, then work.
func dumpReadings(ctx context.Context, q queryer, fn func(store.DumpRecord) error) error {
	rows, err := q.QueryContext(ctx, `SELECT u.name, r.work_id, COALESCE(r.chapter_id, 0), r.views, r.marked_for_later, r.first_read_at, r.last_read_at
		FROM readings r JOIN users u ON u.id = r.user_id ORDER BY u.name_key, r.work_id`)
	if err != nil {
		return fmt.Errorf("export readings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r store.DumpReading
		var first, last int64
		if err := rows.Scan(&r.User, &r.WorkID, &r.ChapterID, &r.Views, &r.MarkedForLater, &first, &last); err != nil {
			return fmt.Errorf("export readings: %w", err)
		}
		r.FirstReadAt, r.LastReadAt = fromUnix(first), fromUnix(last)
		if err := fn(store.DumpRecord{Reading: &r}); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export readings: %w", err)
	}
	return nil
}

// dumpHiddenWorks streams the works readers hid, by reader name, then work.
func dumpHiddenWorks(ctx context.Context, q queryer, fn func(store.DumpRecord) error) error {
	rows, err := q.QueryContext(ctx, `SELECT u.name, h.work_id, h.created_at FROM hidden_works h JOIN users u ON u.id = h.user_id ORDER BY u.name_key, h.work_id`)
	if err != nil {
		return fmt.Errorf("export hidden works: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h store.DumpHiddenWork
		var at int64
		if err := rows.Scan(&h.User, &h.WorkID, &at); err != nil {
			return fmt.Errorf("export hidden works: %w", err)
		}
		h.CreatedAt = fromUnix(at)
		if err := fn(store.DumpRecord{HiddenWork: &h}); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export hidden works: %w", err)
	}
	return nil
}

// dumpSavedSearches streams readers' saved searches, by reader name, then id.
func dumpSavedSearches(ctx context.Context, q queryer, withSecrets bool, fn func(store.DumpRecord) error) error {
	rows, err := q.QueryContext(ctx, `SELECT u.name, s.id, s.user_id, s.name, s.params, s.is_default, s.digest, s.digest_since, s.feed_token, s.created_at, s.updated_at
		FROM saved_searches s JOIN users u ON u.id = s.user_id ORDER BY u.name_key, s.id`)
	if err != nil {
		return fmt.Errorf("export saved searches: %w", err)
	}
	defer rows.Close()
	var all []*store.DumpSavedSearch
	for rows.Next() {
		var d store.DumpSavedSearch
		var def int
		var since, created, updated int64
		if err := rows.Scan(&d.User, &d.ID, &d.UserID, &d.Name, &d.Params, &def, &d.Digest, &since, &d.FeedToken, &created, &updated); err != nil {
			return fmt.Errorf("export saved searches: %w", err)
		}
		d.Default = def != 0
		d.DigestSince, d.CreatedAt, d.UpdatedAt = fromUnix(since), fromUnix(created), fromUnix(updated)
		if !withSecrets {
			d.FeedToken = ""
		}
		all = append(all, &d)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export saved searches: %w", err)
	}
	rows.Close()
	for _, d := range all {
		if err := fn(store.DumpRecord{SavedSearch: d}); err != nil {
			return err
		}
	}
	return nil
}

// dumpRedirects streams the redirects by old URL.
func dumpRedirects(ctx context.Context, q queryer, fn func(store.DumpRecord) error) error {
	rows, err := q.QueryContext(ctx, `SELECT from_path, to_path FROM redirects ORDER BY from_path`)
	if err != nil {
		return fmt.Errorf("export redirects: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r store.DumpRedirect
		if err := rows.Scan(&r.From, &r.To); err != nil {
			return fmt.Errorf("export redirects: %w", err)
		}
		if err := fn(store.DumpRecord{Redirect: &r}); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export redirects: %w", err)
	}
	return nil
}

// exportTail writes what follows the bookmarks.
func exportTail(ctx context.Context, q queryer, withSecrets bool, fn func(store.DumpRecord) error) error {
	if err := dumpSubscriptions(ctx, q, fn); err != nil {
		return err
	}
	if err := dumpReadings(ctx, q, fn); err != nil {
		return err
	}
	if err := dumpHiddenWorks(ctx, q, fn); err != nil {
		return err
	}
	if err := dumpSavedSearches(ctx, q, withSecrets, fn); err != nil {
		return err
	}
	if err := dumpRedirects(ctx, q, fn); err != nil {
		return err
	}
	if err := dumpReports(ctx, q, fn); err != nil {
		return err
	}
	if err := dumpAudit(ctx, q, fn); err != nil {
		return err
	}
	if err := dumpNews(ctx, q, fn); err != nil {
		return err
	}
	if err := dumpCreatorInvitations(ctx, q, fn); err != nil {
		return err
	}
	if err := dumpPolicy(ctx, q, withSecrets, fn); err != nil {
		return err
	}
	if err := dumpCollections(ctx, q, fn); err != nil {
		return err
	}
	if err := dumpRelatedWorks(ctx, q, fn); err != nil {
		return err
	}
	if err := dumpChallenges(ctx, q, fn); err != nil {
		return err
	}
	return dumpPromptMemes(ctx, q, fn)
}

// PutSeries inserts a series with its id (or a new one when 0), credited to
// the pseuds it names, with its works in order; every work must be in the
// archive by now.
func (d *dumpWriter) PutSeries(ctx context.Context, ds *store.DumpSeries) error {
	sr := &ds.Series
	if sr.ID < 0 {
		return archive.Invalid("id", "a series needs a positive id")
	}
	var pseudIDs []int64
	for _, c := range sr.Creators {
		pid, err := d.pseudID(ctx, c.Pseud)
		if err != nil {
			return err
		}
		pseudIDs = append(pseudIDs, pid)
	}
	if sr.UpdatedAt.IsZero() {
		sr.UpdatedAt = sr.CreatedAt
	}
	args := []any{sr.Title, sr.Summary.Source, string(sr.Summary.Format), sr.Summary.HTML, sr.Notes.Source, string(sr.Notes.Format), sr.Notes.HTML,
		b2i(sr.Complete), unix(sr.CreatedAt), unix(sr.UpdatedAt)}
	const cols = `title, summary_src, summary_fmt, summary_html, notes_src, notes_fmt, notes_html, complete, created_at, updated_at`
	var err error
	if sr.ID == 0 {
		err = d.q.QueryRowContext(ctx, `INSERT INTO series (`+cols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, args...).Scan(&sr.ID)
	} else {
		_, err = d.q.ExecContext(ctx, `INSERT INTO series (id, `+cols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append([]any{sr.ID}, args...)...)
	}
	if isUnique(err) {
		return conflict("series %d is already in this archive", sr.ID)
	}
	if err != nil {
		return fmt.Errorf("insert series %d: %w", sr.ID, err)
	}
	for i, pid := range pseudIDs {
		if _, err := d.q.ExecContext(ctx, `INSERT INTO series_creators (series_id, pseud_id, position) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, sr.ID, pid, i); err != nil {
			return fmt.Errorf("series %d creator: %w", sr.ID, err)
		}
	}
	seen := map[int64]bool{}
	for i, e := range sr.Works {
		if seen[e.WorkID] {
			return archive.Invalid("works", "series %d lists work %d twice", sr.ID, e.WorkID)
		}
		seen[e.WorkID] = true
		ok, err := d.workExists(ctx, e.WorkID)
		if err != nil {
			return fmt.Errorf("series %d: %w", sr.ID, err)
		}
		if !ok {
			return archive.Invalid("works", "there is no work %d (in this archive or earlier in the file)", e.WorkID)
		}
		if _, err := d.q.ExecContext(ctx, `INSERT INTO series_works (series_id, work_id, position) VALUES (?, ?, ?)`, sr.ID, e.WorkID, i+1); err != nil {
			return fmt.Errorf("series %d work %d: %w", sr.ID, e.WorkID, err)
		}
	}
	return nil
}

// seriesExists reports whether the archive (this file included) has the series.
func (d *dumpWriter) seriesExists(ctx context.Context, id int64) (bool, error) {
	var one int
	err := d.q.QueryRowContext(ctx, `SELECT 1 FROM series WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// PutSubscription inserts a subscription to a work, series or creator the
// archive has by now.
func (d *dumpWriter) PutSubscription(ctx context.Context, s *store.DumpSubscription) error {
	uid, err := d.userID(ctx, "user", s.User)
	if err != nil {
		return err
	}
	target := s.Target
	switch s.Kind {
	case "work", "series":
		exists := d.workExists
		if s.Kind == "series" {
			exists = d.seriesExists
		}
		ok, err := exists(ctx, target)
		if err != nil {
			return fmt.Errorf("subscription to %s %d: %w", s.Kind, target, err)
		}
		if !ok {
			return archive.Invalid("target", "there is no %s %d (in this archive or earlier in the file)", s.Kind, target)
		}
	case "user":
		if target, err = d.userID(ctx, "target", s.TargetUser); err != nil {
			return err
		}
	default:
		return archive.Invalid("kind", "%q is not work, series or user", s.Kind)
	}
	_, err = d.q.ExecContext(ctx, `INSERT INTO subscriptions (user_id, kind, target, created_at) VALUES (?, ?, ?, ?)`, uid, s.Kind, target, unix(s.CreatedAt))
	if isUnique(err) {
		return conflict("%q is already subscribed to that %s (in this archive or earlier in the file)", s.User, s.Kind)
	}
	if err != nil {
		return fmt.Errorf("insert subscription: %w", err)
	}
	return nil
}

// PutReading inserts one reader's history with one work.
func (d *dumpWriter) PutReading(ctx context.Context, r *store.DumpReading) error {
	uid, err := d.userID(ctx, "user", r.User)
	if err != nil {
		return err
	}
	ok, err := d.workExists(ctx, r.WorkID)
	if err != nil {
		return fmt.Errorf("reading of work %d: %w", r.WorkID, err)
	}
	if !ok {
		return archive.Invalid("work_id", "there is no work %d (in this archive or earlier in the file)", r.WorkID)
	}
	if r.ChapterID != 0 {
		var work int64
		err := d.q.QueryRowContext(ctx, `SELECT work_id FROM chapters WHERE id = ?`, r.ChapterID).Scan(&work)
		if errors.Is(err, sql.ErrNoRows) || err == nil && work != r.WorkID {
			return archive.Invalid("chapter_id", "work %d has no chapter %d", r.WorkID, r.ChapterID)
		}
		if err != nil {
			return fmt.Errorf("reading of work %d: %w", r.WorkID, err)
		}
	}
	_, err = d.q.ExecContext(ctx, `INSERT INTO readings (user_id, work_id, chapter_id, views, marked_for_later, first_read_at, last_read_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, uid, r.WorkID, nullID(r.ChapterID), r.Views, b2i(r.MarkedForLater), unix(r.FirstReadAt), unix(r.LastReadAt))
	if isUnique(err) {
		return conflict("%q already has a reading of work %d (in this archive or earlier in the file)", r.User, r.WorkID)
	}
	if err != nil {
		return fmt.Errorf("insert reading: %w", err)
	}
	return nil
}

// PutRedirect inserts one old URL and where it leads; an old URL the
// archive already maps is a conflict.
func (d *dumpWriter) PutRedirect(ctx context.Context, r *store.DumpRedirect) error {
	if !strings.HasPrefix(r.From, "/") || !strings.HasPrefix(r.To, "/") {
		return archive.Invalid("from", "a redirect leads from a path to a path (both starting with /)")
	}
	_, err := d.q.ExecContext(ctx, `INSERT INTO redirects (from_path, to_path) VALUES (?, ?)`, r.From, r.To)
	if isUnique(err) {
		return conflict("a redirect from %s is already in this archive", r.From)
	}
	if err != nil {
		return fmt.Errorf("insert redirect %s: %w", r.From, err)
	}
	return nil
}

// NameTaken reports whether an account or a pseud has the name.
func (d *dumpWriter) NameTaken(ctx context.Context, name string) (bool, error) {
	key := userKey(name)
	if _, ok := d.users[key]; ok {
		return true, nil
	}
	if _, ok := d.pseuds[key]; ok {
		return true, nil
	}
	var n int
	err := d.q.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM users WHERE name_key = ?) + (SELECT COUNT(*) FROM pseuds WHERE name_key = ?)`, key, key).Scan(&n)
	return n > 0, err
}

// EmailTaken reports whether an account has the address.
func (d *dumpWriter) EmailTaken(ctx context.Context, email string) (bool, error) {
	var n int
	err := d.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE email_key = ?`, userKey(email)).Scan(&n)
	return n > 0, err
}

// RedirectTarget returns where an old URL leads.
func (s *Store) RedirectTarget(ctx context.Context, from string) (string, error) {
	var to string
	err := s.db.QueryRowContext(ctx, `SELECT to_path FROM redirects WHERE from_path = ?`, from).Scan(&to)
	if err != nil {
		return "", notFound(err, "redirect")
	}
	return to, nil
}

// PutSavedSearch inserts a reader's saved search with its id.
func (d *dumpWriter) PutSavedSearch(ctx context.Context, ss *store.DumpSavedSearch) error {
	uid, err := d.userID(ctx, "user", ss.User)
	if err != nil {
		return err
	}
	if ss.Default {
		if _, err := d.q.ExecContext(ctx, `UPDATE saved_searches SET is_default = 0 WHERE user_id = ?`, uid); err != nil {
			return fmt.Errorf("saved search %d: %w", ss.ID, err)
		}
	}
	cols := `user_id, name, params, is_default, digest, digest_since, feed_token, created_at, updated_at`
	args := []any{uid, ss.Name, ss.Params, b2i(ss.Default), ss.Digest, unix(ss.DigestSince), ss.FeedToken, unix(ss.CreatedAt), unix(ss.UpdatedAt)}
	if ss.ID > 0 {
		cols = "id, " + cols
		args = append([]any{ss.ID}, args...)
	}
	err = d.q.QueryRowContext(ctx, `INSERT INTO saved_searches (`+cols+`) VALUES (`+placeholders(len(args))+`) RETURNING id`, args...).Scan(&ss.ID)
	if isUnique(err) {
		return conflict("saved search %d of %q: its id or feed token is taken (in this archive or earlier in the file)", ss.ID, ss.User)
	}
	if err != nil {
		return fmt.Errorf("saved search %d: %w", ss.ID, err)
	}
	return nil
}

// PutHiddenWork records that a reader hid a work.
func (d *dumpWriter) PutHiddenWork(ctx context.Context, h *store.DumpHiddenWork) error {
	uid, err := d.userID(ctx, "user", h.User)
	if err != nil {
		return err
	}
	ok, err := d.workExists(ctx, h.WorkID)
	if err != nil {
		return fmt.Errorf("hidden work %d: %w", h.WorkID, err)
	}
	if !ok {
		return archive.Invalid("work_id", "there is no work %d (in this archive or earlier in the file)", h.WorkID)
	}
	_, err = d.q.ExecContext(ctx, `INSERT INTO hidden_works (user_id, work_id, created_at) VALUES (?, ?, ?)`, uid, h.WorkID, unix(h.CreatedAt))
	if isUnique(err) {
		return conflict("%q already hid work %d (in this archive or earlier in the file)", h.User, h.WorkID)
	}
	if err != nil {
		return fmt.Errorf("hidden work %d: %w", h.WorkID, err)
	}
	return nil
}
