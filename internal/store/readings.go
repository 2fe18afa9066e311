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

// ReadingViews are one reader's views of one work, written together: Views
// views, the first at First, the last at Last, the last chapter opened
// ChapterID (0: the whole work, or none).
type ReadingViews struct {
	UserID, WorkID, ChapterID int64
	Views                     int
	First, Last               time.Time
}

// Readings is the reading history.
type Readings interface {
	// RecordReading notes that the user opened a chapter (or the whole work,
	// chapterID 0) at t. Mark for Later stays until the reader clears it.
	RecordReading(ctx context.Context, userID, workID, chapterID int64, t time.Time) error
	// RecordReadings writes many readers' views in one transaction. Views of
	// an account, work or chapter deleted meanwhile are left out (a deleted
	// chapter: the reading keeps its previous chapter).
	RecordReadings(ctx context.Context, views []ReadingViews) error
	// MarkForLater sets or clears the flag, creating the row if needed.
	MarkForLater(ctx context.Context, userID, workID int64, on bool, t time.Time) error
	// History lists the user's readings, most recent first.
	History(ctx context.Context, userID int64, laterOnly bool, limit, offset int) ([]Reading, int, error)
	Reading(ctx context.Context, userID, workID int64) (*Reading, error)
	ClearHistory(ctx context.Context, userID int64) error
}
