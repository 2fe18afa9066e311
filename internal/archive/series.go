package archive

import "time"

// Series is one series with its byline and its works in order.
type Series struct {
	ID        int64
	Title     string
	Summary   Rich
	Notes     Rich
	Complete  bool
	CreatedAt time.Time
	UpdatedAt time.Time
	// Creators are the series' pseuds (UserID 0 for an orphaned pseud).
	Creators []Creator
	// Works are every work in the series (drafts included), by position.
	Works []SeriesEntry
}

// HasCreatorUser reports whether the user is one of the series' creators.
func (s *Series) HasCreatorUser(userID int64) bool {
	for _, c := range s.Creators {
		if userID != 0 && c.UserID == userID {
			return true
		}
	}
	return false
}

// SeriesEntry is one work's place in a series.
type SeriesEntry struct {
	WorkID   int64
	Position int
}

// SeriesRef is a series a work belongs to, with the work's position in it.
type SeriesRef struct {
	ID       int64
	Title    string
	Position int
}
