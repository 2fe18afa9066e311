package store

import (
	"context"
	"time"
)

// The sets of works a reader's own listing filters name.
const (
	SetRead       = "read"       // works the reader opened (history with a view)
	SetKudosed    = "kudosed"    // works the reader left kudos on
	SetBookmarked = "bookmarked" // works the reader bookmarked
	SetLater      = "later"      // works marked for later
	SetHidden     = "hidden"     // works the reader hid from every listing
)

// HiddenWork is one work a reader hid.
type HiddenWork struct {
	WorkID    int64
	CreatedAt time.Time
}

// ReaderSets holds the works a reader hid, and answers which works each of
// a reader's own filters (read, kudosed, bookmarked, marked for later) names.
type ReaderSets interface {
	// ReaderWorkIDs lists the ids of one of the reader's sets (Set*), in no
	// particular order.
	ReaderWorkIDs(ctx context.Context, userID int64, set string) ([]int64, error)
	// HideWork hides a work from the reader; hiding it again changes
	// nothing. A missing work is archive.ErrNotFound.
	HideWork(ctx context.Context, userID, workID int64, t time.Time) error
	UnhideWork(ctx context.Context, userID, workID int64) error
	// HiddenWorks lists the works the reader hid, most recent first.
	HiddenWorks(ctx context.Context, userID int64) ([]HiddenWork, error)
}
