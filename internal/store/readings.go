package store

import (
	"context"
	"time"
)

// Reading is one reader's history with one work.
type Reading struct {
	UserID         int64
	WorkID         int64
	ChapterID      int64 // the last chapter opened; 0 when it was deleted
	Views          int
	MarkedForLater bool
	FirstReadAt    time.Time
	LastReadAt     time.Time
}

// Readings is the reading history.
type Readings interface {
	// RecordReading notes that the user opened a chapter (or the whole work,
	// chapterID 0) at t. Mark for Later stays until the reader clears it.
	RecordReading(ctx context.Context, userID, workID, chapterID int64, t time.Time) error
	// MarkForLater sets or clears the flag, creating the row if needed.
	MarkForLater(ctx context.Context, userID, workID int64, on bool, t time.Time) error
	// History lists the user's readings, most recent first.
	History(ctx context.Context, userID int64, laterOnly bool, limit, offset int) ([]Reading, int, error)
	Reading(ctx context.Context, userID, workID int64) (*Reading, error)
	ClearHistory(ctx context.Context, userID int64) error
}
