package archive

import "time"

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
	Notes       Rich
	Tags        []string // the bookmarker's own tags, not the archive's vocabulary
	Rec         bool
	Private     bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}
