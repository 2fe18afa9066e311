package store

import (
	"context"

	"quire/internal/archive"
)

// Bookmarks holds readers' bookmarks. Every write recounts the work's
// public bookmarks (works.bookmarks) in the same transaction.
type Bookmarks interface {
	// CreateBookmark inserts b and sets b.ID; a second bookmark of the same
	// work by the same user is archive.ErrConflict, a missing work or user
	// archive.ErrNotFound.
	CreateBookmark(ctx context.Context, b *archive.Bookmark) error
	// UpdateBookmark saves notes, tags, rec, private and work title.
	UpdateBookmark(ctx context.Context, b *archive.Bookmark) error
	DeleteBookmark(ctx context.Context, id int64) error
	Bookmark(ctx context.Context, id int64) (*archive.Bookmark, error)
	// BookmarkOf is the user's bookmark of the work.
	BookmarkOf(ctx context.Context, userID, workID int64) (*archive.Bookmark, error)
	// BookmarksByUser lists a user's bookmarks, newest first; private ones
	// only with withPrivate.
	BookmarksByUser(ctx context.Context, userID int64, withPrivate bool) ([]*archive.Bookmark, error)
	// PublicBookmarksOfWork lists a work's public bookmarks (not private,
	// not by a banned account: those the work's count counts), newest first.
	PublicBookmarksOfWork(ctx context.Context, workID int64) ([]*archive.Bookmark, error)
	// BookmarkRows streams every work bookmark (not series bookmarks) in id
	// order, as the bookmark index keeps them.
	BookmarkRows(ctx context.Context, fn func(BookmarkRow) error) error
	// BookmarkRowsOf lists the work bookmarks of one work (byUser false) or
	// of one user (byUser true), for refreshing the index.
	BookmarkRowsOf(ctx context.Context, id int64, byUser bool) ([]BookmarkRow, error)
	// BookmarksByIDs loads bookmarks with their tags, in no given order;
	// missing ids are left out.
	BookmarksByIDs(ctx context.Context, ids []int64) ([]*archive.Bookmark, error)
}

// BookmarkRow is what the bookmark index keeps of one bookmark. Private is
// set for a private bookmark and for every bookmark of a banned account:
// nobody but the owner counts either.
type BookmarkRow struct {
	ID, UserID, WorkID int64 // WorkID 0 once the work is gone
	Private, Rec       bool
	Tags               []string // the bookmarker's own tags
	CreatedAt          int64    // Unix seconds
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
