package site

import (
	"context"
	"strconv"

	"quire/internal/archive"
	"quire/internal/store"
)

// HistoryEntry is one line of a reader's history.
type HistoryEntry struct {
	store.Reading
	Work        *archive.Work // nil when the work is gone or no longer visible
	ContinueURL string        // the chapter where the reader stopped
}

// RecordReading notes that u opened a chapter of w (chapterID 0: the whole
// work). Guests, a paused history and a creator reading their own work are
// not recorded; a failure is logged, never shown.
func (s *Site) RecordReading(ctx context.Context, u *archive.User, w *archive.Work, chapterID int64) {
	if u == nil || u.Preferences.HistoryPaused || CanEdit(u, w) {
		return
	}
	if err := s.store.RecordReading(ctx, u.ID, w.ID, chapterID, s.Now()); err != nil {
		s.Log.Warn("record reading", "work", w.ID, "err", err)
	}
}

// MarkForLater sets or clears Mark for Later on a work u may see.
func (s *Site) MarkForLater(ctx context.Context, u *archive.User, workID int64, on bool) error {
	if u == nil {
		return archive.ErrAuth
	}
	if _, err := s.Work(ctx, u, workID); err != nil {
		return err
	}
	return s.store.MarkForLater(ctx, u.ID, workID, on, s.Now())
}

// IsMarkedForLater reports whether u marked the work for later.
func (s *Site) IsMarkedForLater(ctx context.Context, u *archive.User, workID int64) bool {
	if u == nil {
		return false
	}
	r, err := s.store.Reading(ctx, u.ID, workID)
	return err == nil && r.MarkedForLater
}

// History lists u's readings (or only those marked for later), newest first.
func (s *Site) History(ctx context.Context, u *archive.User, laterOnly bool, page, perPage int) ([]HistoryEntry, int, error) {
	if u == nil {
		return nil, 0, archive.ErrAuth
	}
	rs, total, err := s.store.History(ctx, u.ID, laterOnly, perPage, (page-1)*perPage)
	if err != nil {
		return nil, 0, err
	}
	ids := make([]int64, len(rs))
	for i, r := range rs {
		ids[i] = r.WorkID
	}
	works, err := s.store.WorksByIDs(ctx, ids)
	if err != nil {
		return nil, 0, err
	}
	byID := map[int64]*archive.Work{}
	for _, w := range works {
		if CanList(u, w) {
			byID[w.ID] = w
		}
	}
	out := make([]HistoryEntry, len(rs))
	for i, r := range rs {
		e := HistoryEntry{Reading: r, Work: byID[r.WorkID]}
		if e.Work != nil {
			e.ContinueURL = "/works/" + strconv.FormatInt(r.WorkID, 10)
			if r.ChapterID != 0 {
				e.ContinueURL += "/chapters/" + strconv.FormatInt(r.ChapterID, 10)
			}
		}
		out[i] = e
	}
	return out, total, nil
}

// ClearHistory forgets everything u read (Mark for Later included).
func (s *Site) ClearHistory(ctx context.Context, u *archive.User) error {
	if u == nil {
		return archive.ErrAuth
	}
	return s.store.ClearHistory(ctx, u.ID)
}

// SetHistoryPaused pauses or resumes recording u's reading.
func (s *Site) SetHistoryPaused(ctx context.Context, u *archive.User, paused bool) error {
	if u == nil {
		return archive.ErrAuth
	}
	p := u.Preferences
	p.HistoryPaused = paused
	if err := s.store.SetPreferences(ctx, u.ID, p); err != nil {
		return err
	}
	u.Preferences = p
	return nil
}
