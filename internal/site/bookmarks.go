package site

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"quire/internal/archive"
	"quire/internal/listing"
)

// Bookmark limits: notes as a work's notes (AO3), tags as a work's tags.
const ()

// GoneMessage is what a bookmark shows in place of a work that was deleted
// or that the reader may no longer see.
const GoneMessage = "This work has been deleted or is not available"

// CreateBookmark bookmarks a work u may see. A second bookmark of the same
// work is archive.ErrConflict.
func (s *Site) CreateBookmark(ctx context.Context, u *archive.User, in archive.BookmarkInput) (*archive.Bookmark, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	if err := s.checkWriter(ctx, u); err != nil {
		return nil, err
	}
	if in.SeriesID != 0 {
		return s.createSeriesBookmark(ctx, u, in)
	}
	if in.WorkID <= 0 {
		return nil, archive.Invalid("work_id", "is required")
	}
	w, err := s.Work(ctx, u, in.WorkID)
	if err != nil {
		return nil, err
	}
	if w.Draft {
		return nil, archive.Invalid("work_id", "a draft can't be bookmarked; post it first")
	}
	now := s.Now()
	b := &archive.Bookmark{UserID: u.ID, UserName: u.Name, WorkID: w.ID, WorkTitle: w.Title, CreatedAt: now, UpdatedAt: now}
	if err := archive.PrepareBookmark(b, in); err != nil {
		return nil, err
	}
	if err := s.store.CreateBookmark(ctx, b); err != nil {
		return nil, err
	}
	s.recountBookmarks(ctx, w.ID)
	return b, nil
}

// EditableBookmark loads a bookmark u may change (their own): another's
// private bookmark is archive.ErrNotFound, another's public one
// archive.ErrForbidden.
func (s *Site) EditableBookmark(ctx context.Context, u *archive.User, id int64) (*archive.Bookmark, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	b, err := s.store.Bookmark(ctx, id)
	if err != nil {
		return nil, err
	}
	if b.UserID != u.ID {
		if b.Private {
			return nil, fmt.Errorf("bookmark %d: %w", id, archive.ErrNotFound)
		}
		return nil, fmt.Errorf("bookmark %d belongs to someone else: %w", id, archive.ErrForbidden)
	}
	return b, nil
}

// VisibleBookmark loads a bookmark u may see: their own, or another's
// public bookmark of a work u may see, unless u muted its owner.
func (s *Site) VisibleBookmark(ctx context.Context, u *archive.User, id int64) (*BookmarkItem, error) {
	b, err := s.store.Bookmark(ctx, id)
	if err != nil {
		return nil, err
	}
	item := &BookmarkItem{Bookmark: b}
	own := u != nil && u.ID == b.UserID
	if b.OfSeries {
		item.Series = s.bookmarkedSeries(ctx, u, b)
	}
	if b.WorkID != 0 {
		if w, err := s.store.Work(ctx, b.WorkID); err == nil && CanList(u, w) && !w.Draft {
			item.Work = w
		} else if err != nil && !errors.Is(err, archive.ErrNotFound) {
			return nil, err
		}
	}
	if !own && (b.Private || item.Work == nil && item.Series == nil || s.mutedUser(ctx, u, b.UserID)) {
		return nil, fmt.Errorf("bookmark %d: %w", id, archive.ErrNotFound)
	}
	return item, nil
}

// UpdateBookmark replaces the content of u's bookmark id.
func (s *Site) UpdateBookmark(ctx context.Context, u *archive.User, id int64, in archive.BookmarkInput) (*archive.Bookmark, error) {
	b, err := s.EditableBookmark(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if err := sameTarget(b, in); err != nil {
		return nil, err
	}
	if err := archive.PrepareBookmark(b, in); err != nil {
		return nil, err
	}
	b.UpdatedAt = s.Now()
	if err := s.store.UpdateBookmark(ctx, b); err != nil {
		return nil, err
	}
	s.recountBookmarks(ctx, b.WorkID)
	if b.WorkID == 0 && !b.OfSeries {
		s.refreshBookmarks(ctx, u.ID, true) // its work is gone: refresh by owner
	}
	return b, nil
}

// DeleteBookmark removes u's bookmark id.
func (s *Site) DeleteBookmark(ctx context.Context, u *archive.User, id int64) error {
	b, err := s.EditableBookmark(ctx, u, id)
	if err != nil {
		return err
	}
	if err := s.store.DeleteBookmark(ctx, id); err != nil {
		return err
	}
	if bx := s.builtBookmarkIdx(); bx != nil {
		bx.Remove(id)
	}
	s.recountBookmarks(ctx, b.WorkID)
	return nil
}

// BookmarkOf is u's bookmark of the work, or archive.ErrNotFound.
func (s *Site) BookmarkOf(ctx context.Context, u *archive.User, workID int64) (*archive.Bookmark, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	return s.store.BookmarkOf(ctx, u.ID, workID)
}

// recountBookmarks brings the index's counters (and so the bookmarks
// sort) and the work cache up to the store's count at once.
func (s *Site) recountBookmarks(ctx context.Context, workID int64) {
	if workID == 0 {
		return
	}
	s.forget(workID)
	s.refreshBookmarks(ctx, workID, false)
	row, err := s.store.IndexRow(ctx, workID)
	if err != nil {
		if !errors.Is(err, archive.ErrNotFound) {
			s.Log.Warn("recount bookmarks", "work", workID, "err", err)
		}
		return
	}
	s.Index.SetCounts(workID, row.Hits, row.Kudos, row.Comments, row.Bookmarks)
}

// BookmarkItem is one bookmark as a reader sees it; Work is nil when the
// work is gone or the reader may not see it (only its owner sees such a
// bookmark, with GoneMessage).
type BookmarkItem struct {
	Bookmark *archive.Bookmark
	Work     *archive.Work
	// Series is a series bookmark's series as the reader sees it; nil like
	// Work when it is gone or not visible (SeriesGoneMessage).
	Series *SeriesView
}

// listedAmong reports which of ids the listing index shows u: visible to
// them and not muted. The index answers, as it does for every listing.
func (s *Site) listedAmong(ctx context.Context, u *archive.User, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	v, err := s.viewer(ctx, u)
	if err != nil {
		return nil, err
	}
	want := listing.IDSet(ids)
	for page := 1; ; page++ {
		res, err := s.Index.Search(listing.Query{TextIDs: want, SkipFacets: true, Sort: "posted", PerPage: 100, Page: page}, v)
		if err != nil {
			return nil, err
		}
		for _, id := range res.IDs {
			out[id] = true
		}
		if len(res.IDs) == 0 || page*res.PerPage >= res.Total {
			return out, nil
		}
	}
}

// PageParam reads an optional page or per_page value ("" is 0, the
// default); anything but a whole number of 1 or more is a 422.
func PageParam(key, s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, archive.Invalid(key, "must be a whole number of 1 or more")
	}
	return n, nil
}

// WorkBookmarks lists the bookmarks of a work u may see, as the other
// bookmark listings do (the bookmark index: others' private bookmarks and
// a banned account's never, muted users' left out; the bookmarkers' tags,
// rec and the sorts apply). The listing's Work is the work.
func (s *Site) WorkBookmarks(ctx context.Context, u *archive.User, workID int64, q listing.BookmarkQuery, text string) (*BookmarkListing, error) {
	w, err := s.Work(ctx, u, workID)
	if err != nil {
		return nil, err
	}
	if w.Draft {
		return nil, fmt.Errorf("work %d: %w", workID, archive.ErrNotFound)
	}
	q.WorkID = w.ID
	l, err := s.ListBookmarks(ctx, u, q, text)
	if err != nil {
		return nil, err
	}
	l.Work = w
	return l, nil
}
