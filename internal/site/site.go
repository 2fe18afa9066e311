// Package site is the running archive: the store, the listing index and the
// job runner wired together, and the operations that pages and the API call.
// Every permission and visibility decision about works is made here, once.
package site

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/RoaringBitmap/roaring/v2"

	"quire/internal/archive"
	"quire/internal/jobs"
	"quire/internal/listing"
	"quire/internal/store"
)

// Site is one archive.
type Site struct {
	store   store.Store
	Index   *listing.Index
	Jobs    *jobs.Runner
	Log     *slog.Logger
	Name    string // shown in pages, mail and EPUB publisher
	BaseURL string // absolute URL for links in mail, e.g. http://127.0.0.1:8080
	Now     func() time.Time
	// ReportRateLimit is how many reports one account or guest address may
	// file an hour (0 = unlimited).
	ReportRateLimit int
	// reportTraps counts reports the honeypot field caught.
	reportTraps atomic.Int64

	// wrangleMu serialises wrangling in this process, so two changes
	// validated against the same graph can't together make a meta cycle.
	wrangleMu sync.Mutex
	policy    policyState // the site settings and what the spam defences stopped
	works     workCache
	mutes     muteCache
	feed      feedStats
	hits      hitQueue
	banner    bannerCache
}

// New wires a site.
func New(st store.Store, ix *listing.Index, jr *jobs.Runner, log *slog.Logger, baseURL string) *Site {
	s := &Site{store: st, Index: ix, Jobs: jr, Log: log, Name: "Quire", BaseURL: baseURL, Now: func() time.Time { return time.Now().UTC() },
		works: workCache{m: map[int64]*archive.Work{}}}
	if jr != nil {
		jr.Handle(EndSuspensionJob, s.runEndSuspension)
	}
	return s
}

// ViewerOf is the listing viewer for a user (nil = guest).
func ViewerOf(u *archive.User) listing.Viewer {
	if u == nil {
		return listing.Viewer{}
	}
	return listing.Viewer{UserID: u.ID}
}

// CanEdit reports whether u may change w: its creators and admins.
func CanEdit(u *archive.User, w *archive.Work) bool {
	return u != nil && (w.HasCreatorUser(u.ID) || u.IsAdmin())
}

// CanView reports whether u may see w at all. A hidden work is seen by its
// creators and the moderators.
func CanView(u *archive.User, w *archive.Work) bool {
	if w.Hidden && !w.Draft && CanModerate(u) {
		return true
	}
	if w.Draft || w.Hidden {
		return CanEdit(u, w)
	}
	if w.AwaitingReview {
		return CanEdit(u, w) || u.Has(archive.RoleModerator)
	}
	if w.Restricted {
		return u != nil
	}
	return true
}

// CanList reports whether w shows in what u browses besides its own page
// (series pages, bookmark lists, reading history): as CanView, except that
// moderators see a hidden work on its page only.
func CanList(u *archive.User, w *archive.Work) bool {
	if w.Hidden && !w.Draft {
		return u != nil && w.HasCreatorUser(u.ID)
	}
	return CanView(u, w)
}

// reindex refreshes one work in the listing index after a committed write.
func (s *Site) reindex(ctx context.Context, id int64) error {
	s.forget(id)
	row, err := s.store.IndexRow(ctx, id)
	if errors.Is(err, archive.ErrNotFound) {
		s.Index.Remove(id)
		return nil
	}
	if err != nil {
		return fmt.Errorf("reindex work %d: %w", id, err)
	}
	s.Index.Put(row)
	return nil
}

// RefreshGraph reloads the tag graph (new tags, wrangling).
func (s *Site) RefreshGraph(ctx context.Context) error {
	rows, err := s.store.AllTags(ctx)
	if err != nil {
		return err
	}
	s.Index.SetGraph(listing.GraphFromRows(rows))
	return nil
}

// Work loads a work the user may see, or archive.ErrNotFound. The work may
// be shared with other readers (it comes from the cache): callers must not
// change it; EditableWork gives a copy of one's own.
func (s *Site) Work(ctx context.Context, u *archive.User, id int64) (*archive.Work, error) {
	ws, err := s.worksByIDs(ctx, []int64{id})
	if err != nil {
		return nil, err
	}
	if len(ws) == 0 || !CanView(u, ws[0]) {
		return nil, fmt.Errorf("work %d: %w", id, archive.ErrNotFound)
	}
	return s.withReaderCounts(ctx, u, ws)[0], nil
}

// MembersOnly reports whether a guest was refused work id only because it
// is restricted: any logged-in reader would see it. (AO3 says so too,
// rather than a bare "not found".)
func (s *Site) MembersOnly(ctx context.Context, id int64) bool {
	ws, err := s.worksByIDs(ctx, []int64{id})
	if err != nil || len(ws) == 0 {
		return false
	}
	return ws[0].Restricted && CanView(&archive.User{}, ws[0])
}

// EditableWork loads a work the user may change, read afresh from the store
// so the caller may change it: ErrNotFound when they may not see it,
// ErrForbidden when they may see it but not change it.
func (s *Site) EditableWork(ctx context.Context, u *archive.User, id int64) (*archive.Work, error) {
	w, err := s.store.Work(ctx, id)
	if err != nil {
		return nil, err
	}
	if !CanView(u, w) {
		return nil, fmt.Errorf("work %d: %w", id, archive.ErrNotFound)
	}
	if u == nil {
		return nil, archive.ErrAuth
	}
	if !CanEdit(u, w) {
		return nil, fmt.Errorf("work %d belongs to someone else: %w", id, archive.ErrForbidden)
	}
	return w, nil
}

// Chapters lists the chapters u may see (draft chapters only for editors).
// Without bodies they may be shared with other readers: callers must not
// change them.
func (s *Site) Chapters(ctx context.Context, u *archive.User, w *archive.Work, bodies bool) ([]*archive.Chapter, error) {
	var all []*archive.Chapter
	var err error
	if bodies {
		all, err = s.store.Chapters(ctx, w.ID, true)
	} else {
		all, err = s.chapterList(ctx, w.ID)
	}
	if err != nil {
		return nil, err
	}
	editor := CanEdit(u, w)
	out := make([]*archive.Chapter, 0, len(all))
	for _, c := range all {
		if editor || !c.Draft {
			out = append(out, c)
		}
	}
	return out, nil
}

// Listing is one page of works with facets.
type Listing struct {
	listing.Result
	Works []*archive.Work
}

// List runs a listing query for u and loads the page's works.
func (s *Site) List(ctx context.Context, u *archive.User, q listing.Query) (*Listing, error) {
	v, err := s.viewer(ctx, u)
	if err != nil {
		return nil, err
	}
	if err := s.readerSets(ctx, u, &q); err != nil {
		return nil, err
	}
	res, err := s.Index.Search(q, v)
	if err != nil {
		return nil, err
	}
	ws, err := s.worksByIDs(ctx, res.IDs)
	if err != nil {
		return nil, err
	}
	return &Listing{Result: res, Works: s.withReaderCounts(ctx, u, ws)}, nil
}

// Drafts lists u's draft works (newest first).
func (s *Site) Drafts(ctx context.Context, u *archive.User) ([]*archive.Work, error) {
	ws, err := s.OwnWorks(ctx, u)
	if err != nil {
		return nil, err
	}
	var out []*archive.Work
	for _, w := range ws {
		if w.Draft {
			out = append(out, w)
		}
	}
	return out, nil
}

// Search runs a listing with an optional q (full text and AO3's field
// syntax): the store finds the text, the index does everything else.
func (s *Site) Search(ctx context.Context, u *archive.User, q listing.Query, text string) (*Listing, error) {
	if strings.TrimSpace(text) != "" {
		ts, err := listing.ParseText(text)
		if err != nil {
			return nil, err
		}
		q.Ranges = append(q.Ranges, ts.Ranges...)
		if ts.Sort != "" {
			q.Sort = ts.Sort
		}
		switch {
		case ts.OnlyExclusions():
			// Every work but those matching any excluded word or field term.
			all := roaring.New()
			all.AddRange(0, math.MaxUint32+1)
			for _, ex := range ts.Exclusions() {
				ids, err := s.store.SearchText(ctx, ex)
				if err != nil {
					return nil, err
				}
				all.AndNot(bitmapOf(ids))
			}
			q.TextIDs = all
		case ts.HasText():
			ids, err := s.store.SearchText(ctx, ts.Text)
			if err != nil {
				return nil, err
			}
			q.TextIDs = bitmapOf(ids)
		}
	}
	return s.List(ctx, u, q)
}

func bitmapOf(ids []int64) *roaring.Bitmap {
	b := roaring.New()
	for _, id := range ids {
		if id > 0 && id <= math.MaxUint32 {
			b.Add(uint32(id))
		}
	}
	return b
}

// Chapter loads one chapter of w with its body, as u may see it: a draft
// chapter only for the work's editors, else archive.ErrNotFound. w must come
// from Work or EditableWork.
func (s *Site) Chapter(ctx context.Context, u *archive.User, w *archive.Work, id int64) (*archive.Chapter, error) {
	c, err := s.store.Chapter(ctx, w.ID, id)
	if err != nil {
		return nil, err
	}
	if c.Draft && !CanEdit(u, w) {
		return nil, fmt.Errorf("chapter %d: %w", id, archive.ErrNotFound)
	}
	return c, nil
}
