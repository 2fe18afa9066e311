package site

// Bookmark listings: /bookmarks, a tag's, a user's. The bookmark index
// (listing.Bookmarks) answers which bookmarks match and how many; the
// works index behind it decides which works the reader may see.

import (
	"context"
	"fmt"
	"sync"

	"quire/internal/archive"
	"quire/internal/listing"
)

// bookmarkIndex holds the site's bookmark index, built on first use (or
// by BuildBookmarkIndex at start).
type bookmarkIndex struct {
	mu sync.Mutex
	bx *listing.Bookmarks
}

// BuildBookmarkIndex loads the bookmark index from the store; serve calls
// it at start so the first bookmark listing does not wait for it.
func (s *Site) BuildBookmarkIndex(ctx context.Context) error {
	_, err := s.bookmarkIdx(ctx)
	return err
}

func (s *Site) bookmarkIdx(ctx context.Context) (*listing.Bookmarks, error) {
	s.bmarks.mu.Lock()
	defer s.bmarks.mu.Unlock()
	if s.bmarks.bx != nil {
		return s.bmarks.bx, nil
	}
	bx, err := listing.BuildBookmarks(ctx, s.store, s.Index)
	if err != nil {
		return nil, fmt.Errorf("build bookmark index: %w", err)
	}
	s.bmarks.bx = bx
	return bx, nil
}

// builtBookmarkIdx is the bookmark index if it was built (writes before
// the first build need not reach it: the build reads them).
func (s *Site) builtBookmarkIdx() *listing.Bookmarks {
	s.bmarks.mu.Lock()
	defer s.bmarks.mu.Unlock()
	return s.bmarks.bx
}

// BookmarkIndexLen is how many work bookmarks the index holds (0 before
// it is built), for /metrics.
func (s *Site) BookmarkIndexLen() int {
	if bx := s.builtBookmarkIdx(); bx != nil {
		return bx.Len()
	}
	return 0
}

// refreshBookmarks brings the bookmark index up to the store for one
// work's bookmarks (byUser false) or one user's.
func (s *Site) refreshBookmarks(ctx context.Context, id int64, byUser bool) {
	bx := s.builtBookmarkIdx()
	if bx == nil || id == 0 {
		return
	}
	rows, err := s.store.BookmarkRowsOf(ctx, id, byUser)
	if err != nil {
		s.logger().Warn("refresh bookmark index", "id", id, "by_user", byUser, "err", err)
		return
	}
	bx.Replace(id, byUser, rows)
}

// BookmarkListing is one page of a bookmark listing.
type BookmarkListing struct {
	listing.BookmarkResult
	Items []BookmarkItem
	// Owner is the user whose bookmarks these are (a user's page), Own
	// whether the reader is that user.
	Owner *archive.User
	Own   bool
	// Work is the work whose bookmarks these are (/works/{id}/bookmarks).
	Work *archive.Work
	// Series are the owner's series bookmarks the reader may see, on the
	// first page of an unfiltered user's list (the index holds work
	// bookmarks only).
	Series []BookmarkItem
}

// ListBookmarks runs a bookmark query for u, with an optional q searched
// in the bookmarked works as on a works listing.
func (s *Site) ListBookmarks(ctx context.Context, u *archive.User, q listing.BookmarkQuery, text string) (*BookmarkListing, error) {
	bx, err := s.bookmarkIdx(ctx)
	if err != nil {
		return nil, err
	}
	v, err := s.viewer(ctx, u)
	if err != nil {
		return nil, err
	}
	if err := s.applyText(ctx, &q.Work, text); err != nil {
		return nil, err
	}
	if err := s.readerSets(ctx, u, &q.Work); err != nil {
		return nil, err
	}
	res, err := bx.Search(q, v)
	if err != nil {
		return nil, err
	}
	out := &BookmarkListing{BookmarkResult: res, Items: []BookmarkItem{}}
	if len(res.IDs) == 0 {
		return out, nil
	}
	bs, err := s.store.BookmarksByIDs(ctx, res.IDs)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*archive.Bookmark, len(bs))
	var workIDs []int64
	for _, b := range bs {
		byID[b.ID] = b
		if b.WorkID != 0 {
			workIDs = append(workIDs, b.WorkID)
		}
	}
	ws, err := s.worksByIDs(ctx, workIDs)
	if err != nil {
		return nil, err
	}
	ws = s.withReaderCounts(ctx, u, ws)
	works := make(map[int64]*archive.Work, len(ws))
	for _, w := range ws {
		works[w.ID] = w
	}
	for _, id := range res.IDs {
		b := byID[id]
		if b == nil {
			continue // deleted since the search
		}
		item := BookmarkItem{Bookmark: b}
		if w := works[b.WorkID]; w != nil && CanList(u, w) && !w.Draft {
			item.Work = w
		} else if u == nil || u.ID != b.UserID {
			continue // changed since the search; only the owner sees it gone
		}
		out.Items = append(out.Items, item)
	}
	return out, nil
}

// TagBookmarks lists the bookmarks of works that a filter on the tag
// matches (by the filter rule), as /tags/{name}/works does for works.
func (s *Site) TagBookmarks(ctx context.Context, u *archive.User, name string, q listing.BookmarkQuery, text string) (*BookmarkListing, error) {
	q.Work.Include = append(q.Work.Include, listing.TagRef{Name: name})
	return s.ListBookmarks(ctx, u, q, text)
}

// UserBookmarks lists the bookmarks of the user named name as u sees
// them: the owner sees all, private ones and those whose work is gone
// (marked) included; others see public bookmarks of works they may see
// in listings (their mutes applied), and nothing of a user they muted.
func (s *Site) UserBookmarks(ctx context.Context, u *archive.User, name string, q listing.BookmarkQuery, text string) (*BookmarkListing, error) {
	owner, err := s.store.UserByName(ctx, name)
	if err != nil {
		return nil, err
	}
	own := u != nil && u.ID == owner.ID
	if !own && s.mutedUser(ctx, u, owner.ID) {
		if err := q.Normalize(); err != nil {
			return nil, err
		}
		return &BookmarkListing{BookmarkResult: listing.BookmarkResult{Page: q.Page, PerPage: q.PerPage}, Items: []BookmarkItem{}, Owner: owner}, nil
	}
	q.UserID = owner.ID
	l, err := s.ListBookmarks(ctx, u, q, text)
	if err != nil {
		return nil, err
	}
	l.Owner, l.Own = owner, own
	if l.Page == 1 && text == "" && !q.WorkFiltered() && !q.Rec && len(q.Tags) == 0 && len(q.ExcludeTags) == 0 {
		bs, err := s.store.BookmarksByUser(ctx, owner.ID, own)
		if err != nil {
			return nil, err
		}
		for _, b := range bs {
			if !b.OfSeries {
				continue
			}
			if v := s.bookmarkedSeries(ctx, u, b); own || v != nil {
				l.Series = append(l.Series, BookmarkItem{Bookmark: b, Series: v})
			}
		}
	}
	return l, nil
}

// unindex takes a deleted work out of the listing index; its bookmarks
// stay in the bookmark index, gone, for their owners.
func (s *Site) unindex(id int64) {
	s.Index.Remove(id)
	if bx := s.builtBookmarkIdx(); bx != nil {
		bx.WorkGone(id)
	}
}
