// Package site is the running archive: the store, the listing index and the
// job runner wired together, and the operations that pages and the API call.
// Every permission and visibility decision about works is made here, once.
package site

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

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
	views     viewCache // comment threads and kudos givers
	mutes     muteCache
	feed      feedStats
	hits      hitQueue
	readings  readingQueue
	banner    bannerCache
	bmarks    bookmarkIndex
}

// New wires a site.
func New(st store.Store, ix *listing.Index, jr *jobs.Runner, log *slog.Logger, baseURL string) *Site {
	s := &Site{store: st, Index: ix, Jobs: jr, Log: log, Name: "Quire", BaseURL: baseURL, Now: func() time.Time { return time.Now().UTC() },
		works: workCache{m: map[int64]*archive.Work{}}}
	if jr != nil {
		jr.Handle(EndSuspensionJob, s.runEndSuspension)
		jr.Handle(PublishJob, s.runPublish)
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
		s.unindex(id)
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
