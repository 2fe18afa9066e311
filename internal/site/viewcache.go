package site

import (
	"context"
	"sync"

	"quire/internal/archive"
	"quire/internal/store"
)

// viewCache keeps what every view of a work page reads besides the work
// itself: a chapter's comments (all of them, before the viewer's filters)
// and a work's kudos givers. Every write that changes what an entry holds
// forgets it: a comment posted, edited, deleted, approved, frozen or
// hidden by the moderators forgets its chapter's; kudos forget the work's;
// a renamed or deleted account or pseud, a ban or an unban forget
// everything (rare writes that change names or many comments at once). On
// PostgreSQL other nodes forget the same through the change feed
// (migration 0029): the comments table's trigger names the chapter
// ("thread"), the kudos table's the work ("kudos"), the users' and
// pseuds' "names".
type viewCache struct {
	mu      sync.Mutex
	threads map[int64][]*archive.Comment // by chapter id
	kudos   map[int64]store.KudosGivers  // by work id
	// gen counts forgets: a reader that loaded an entry while a write
	// forgot one does not cache what it loaded (it may be the old state).
	gen uint64
}

// maxCachedViews bounds each of the view cache's maps.
const maxCachedViews = 100_000

// chapterComments returns a chapter's comments in id order, from the cache
// where it can. The comments are shared: callers must not change them.
func (s *Site) chapterComments(ctx context.Context, chapterID int64) ([]*archive.Comment, error) {
	return loadThrough(&s.views.mu, &s.views.gen, &s.views.threads, maxCachedViews, chapterID, func() ([]*archive.Comment, error) {
		return s.store.ChapterComments(ctx, chapterID)
	})
}

// kudosGivers returns a work's kudos givers, from the cache where it can.
// The names are shared: callers must not change them.
func (s *Site) kudosGivers(ctx context.Context, workID int64) (store.KudosGivers, error) {
	return loadThrough(&s.views.mu, &s.views.gen, &s.views.kudos, maxCachedViews, workID, func() (store.KudosGivers, error) {
		return s.store.KudosGivers(ctx, workID)
	})
}

// forgetThread drops a chapter's cached comments after a write to them.
func (s *Site) forgetThread(chapterID int64) {
	s.views.mu.Lock()
	delete(s.views.threads, chapterID)
	s.views.gen++
	s.views.mu.Unlock()
}

// forgetKudos drops a work's cached kudos givers.
func (s *Site) forgetKudos(workID int64) {
	s.views.mu.Lock()
	delete(s.views.kudos, workID)
	s.views.gen++
	s.views.mu.Unlock()
}

// forgetViews drops every cached thread and kudos list: after a write that
// changes names shown in them (a rename, a deleted account or pseud) or
// many comments at once (a suspension, a ban).
func (s *Site) forgetViews() {
	s.views.mu.Lock()
	s.views.threads, s.views.kudos = nil, nil
	s.views.gen++
	s.views.mu.Unlock()
}
