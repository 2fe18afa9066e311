package site

import (
	"context"
	"errors"

	"quire/internal/archive"
)

// SeriesGoneMessage is what a bookmark shows in place of a series that was
// deleted or that the reader may no longer see.
const SeriesGoneMessage = "This series has been deleted or is not available"

// createSeriesBookmark bookmarks a series u may see. A second bookmark of
// the same series is archive.ErrConflict.
func (s *Site) createSeriesBookmark(ctx context.Context, u *archive.User, in archive.BookmarkInput) (*archive.Bookmark, error) {
	if in.WorkID != 0 {
		return nil, archive.Invalid("series_id", "a bookmark is of a work or of a series, not both")
	}
	if in.SeriesID < 0 {
		return nil, archive.Invalid("series_id", "must be a series id")
	}
	v, err := s.Series(ctx, u, in.SeriesID)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	b := &archive.Bookmark{UserID: u.ID, UserName: u.Name, OfSeries: true, SeriesID: v.ID, SeriesTitle: v.Title, CreatedAt: now, UpdatedAt: now}
	if err := archive.PrepareBookmark(b, in); err != nil {
		return nil, err
	}
	if err := s.store.CreateBookmark(ctx, b); err != nil {
		return nil, err
	}
	return b, nil
}

// sameTarget refuses an edit that would move a bookmark to another work or
// series (or from a work to a series).
func sameTarget(b *archive.Bookmark, in archive.BookmarkInput) error {
	if b.OfSeries {
		if in.WorkID != 0 || in.SeriesID != 0 && in.SeriesID != b.SeriesID {
			return archive.Invalid("series_id", "a bookmark's series can't be changed; bookmark the other series or work instead")
		}
		return nil
	}
	if in.SeriesID != 0 || in.WorkID != b.WorkID && in.WorkID != 0 {
		return archive.Invalid("work_id", "a bookmark's work can't be changed; bookmark the other work instead")
	}
	return nil
}

// bookmarkedSeries is a series bookmark's series as u sees it, or nil when
// it is gone or u may not see it (a failed read is logged and counts as
// not available).
func (s *Site) bookmarkedSeries(ctx context.Context, u *archive.User, b *archive.Bookmark) *SeriesView {
	if b.SeriesID == 0 {
		return nil
	}
	v, err := s.Series(ctx, u, b.SeriesID)
	if err != nil {
		if !errors.Is(err, archive.ErrNotFound) {
			s.Log.Warn("load bookmarked series", "series", b.SeriesID, "err", err)
		}
		return nil
	}
	return v
}

// SeriesBookmarkOf is u's bookmark of the series, or archive.ErrNotFound.
func (s *Site) SeriesBookmarkOf(ctx context.Context, u *archive.User, seriesID int64) (*archive.Bookmark, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	return s.store.SeriesBookmarkOf(ctx, u.ID, seriesID)
}

// SeriesBookmarkCount is the number of public bookmarks of the series u
// sees: those of users u muted are left out.
func (s *Site) SeriesBookmarkCount(ctx context.Context, u *archive.User, seriesID int64) (int64, error) {
	return s.store.SeriesBookmarkCount(ctx, seriesID, s.MutedUserIDs(ctx, u))
}
