package store

import (
	"context"
	"time"

	"quire/internal/archive"
)

// Bookmark is a reader's bookmark of a work. It outlives the work: once
// the work is deleted WorkID is 0 and WorkTitle still names it.
type Bookmark struct {
	ID        int64
	UserID    int64
	UserName  string // filled on reads
	WorkID    int64  // 0 once the work is gone
	WorkTitle string // the work's title when last bookmarked or edited
	// OfSeries marks a bookmark of a series: SeriesID (0 once the series is
	// gone) and SeriesTitle (kept current while it exists) instead of the
	// work fields.
	OfSeries    bool
	SeriesID    int64
	SeriesTitle string
	Notes       archive.Rich
	Tags        []string // the bookmarker's own tags, not the archive's vocabulary
	Rec         bool
	Private     bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Bookmarks holds readers' bookmarks. Every write recounts the work's
// public bookmarks (works.bookmarks) in the same transaction.
type Bookmarks interface {
	// CreateBookmark inserts b and sets b.ID; a second bookmark of the same
	// work by the same user is archive.ErrConflict, a missing work or user
	// archive.ErrNotFound.
	CreateBookmark(ctx context.Context, b *Bookmark) error
	// UpdateBookmark saves notes, tags, rec, private and work title.
	UpdateBookmark(ctx context.Context, b *Bookmark) error
	DeleteBookmark(ctx context.Context, id int64) error
	Bookmark(ctx context.Context, id int64) (*Bookmark, error)
	// BookmarkOf is the user's bookmark of the work.
	BookmarkOf(ctx context.Context, userID, workID int64) (*Bookmark, error)
	// BookmarksByUser lists a user's bookmarks, newest first; private ones
	// only with withPrivate.
	BookmarksByUser(ctx context.Context, userID int64, withPrivate bool) ([]*Bookmark, error)
	// PublicBookmarksOfWork lists a work's public bookmarks (not private,
	// not by a banned account: those the work's count counts), newest first.
	PublicBookmarksOfWork(ctx context.Context, workID int64) ([]*Bookmark, error)
}

// Mutes holds what each reader never wants to see: tags (by id, applied by
// the filter rule) and other users.
type Mutes interface {
	MutedTags(ctx context.Context, userID int64) ([]int64, error)
	// SetMutedTags replaces the user's muted tags.
	SetMutedTags(ctx context.Context, userID int64, tagIDs []int64) error
	MutedUsers(ctx context.Context, userID int64) ([]int64, error)
	// SetMutedUsers replaces the user's muted users.
	SetMutedUsers(ctx context.Context, userID int64, mutedIDs []int64) error
}
