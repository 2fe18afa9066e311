package store

import (
	"context"
	"quire/internal/archive"
)

// SeriesBookmarks reads bookmarks of series (CreateBookmark, UpdateBookmark
// and DeleteBookmark write them, with Bookmark.OfSeries set).
type SeriesBookmarks interface {
	// SeriesBookmarkOf is the user's bookmark of the series.
	SeriesBookmarkOf(ctx context.Context, userID, seriesID int64) (*archive.Bookmark, error)
	// SeriesBookmarkCount counts the series' public bookmarks, leaving out
	// those of the users named in except (a reader's muted users).
	SeriesBookmarkCount(ctx context.Context, seriesID int64, except []int64) (int64, error)
}

// CommentCounts answers per-reader comment counts.
type CommentCounts interface {
	// MutedCommentCounts counts, per work, the comments a reader who muted
	// the users does not see: the counted ones (approved, not deleted, not hidden)
	// written by those users or replying, at any depth, to one of theirs.
	// Works with none are absent from the map.
	MutedCommentCounts(ctx context.Context, workIDs, mutedUsers []int64) (map[int64]int64, error)
}
