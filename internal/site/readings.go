package site

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"sync"
	"time"

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
// not recorded. The view is queued and written with the others of the next
// readingDelay in one transaction (see readingQueue); a failure is logged,
// never shown.
func (s *Site) RecordReading(ctx context.Context, u *archive.User, w *archive.Work, chapterID int64) {
	if u == nil || u.Preferences.HistoryPaused || CanEdit(u, w) {
		return
	}
	s.readings.add(s, u.ID, w.ID, chapterID, s.Now())
}

// History views are written in batches, as hits are: a view writing its
// reader's row at once took SQLite's single write lock on every page a
// logged-in reader opened, and readers queued behind each other for it.
// The history pages (and clearing a history) write the queue first, so a
// reader always sees their own views; serve writes it at shutdown (a
// SIGTERM loses none; a SIGKILL the last readingDelay's).
const (
	readingDelay    = 500 * time.Millisecond
	readingBatchMax = 2048
)

type readingKey struct{ user, work int64 }

// readingQueue holds views not yet written, one entry per reader and work.
type readingQueue struct {
	mu      sync.Mutex
	pending map[readingKey]*store.ReadingViews
	armed   bool
	flushMu sync.Mutex // one flush at a time, so batches land in order
}

func (q *readingQueue) add(s *Site, userID, workID, chapterID int64, t time.Time) {
	q.mu.Lock()
	if q.pending == nil {
		q.pending = map[readingKey]*store.ReadingViews{}
	}
	k := readingKey{userID, workID}
	if v := q.pending[k]; v != nil {
		v.Views++
		v.Last = t
		if chapterID != 0 {
			v.ChapterID = chapterID
		}
	} else {
		q.pending[k] = &store.ReadingViews{UserID: userID, WorkID: workID, ChapterID: chapterID, Views: 1, First: t, Last: t}
	}
	now, later := len(q.pending) >= readingBatchMax, !q.armed
	q.armed = true
	q.mu.Unlock()
	switch {
	case now:
		go s.flushReadingsLogged()
	case later:
		time.AfterFunc(readingDelay, s.flushReadingsLogged)
	}
}

func (s *Site) flushReadingsLogged() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.FlushReadings(ctx); err != nil {
		s.Log.Warn("record readings", "err", err)
	}
}

// FlushReadings writes every queued history view now. A failed write puts
// the views back for the next flush.
func (s *Site) FlushReadings(ctx context.Context) error {
	q := &s.readings
	q.flushMu.Lock()
	defer q.flushMu.Unlock()
	q.mu.Lock()
	batch := make([]store.ReadingViews, 0, len(q.pending))
	for _, v := range q.pending {
		batch = append(batch, *v)
	}
	q.pending, q.armed = nil, false
	q.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	// In one order, so two nodes' batches on PostgreSQL take the rows'
	// locks in the same order and never deadlock.
	slices.SortFunc(batch, func(a, b store.ReadingViews) int {
		return cmp.Or(cmp.Compare(a.UserID, b.UserID), cmp.Compare(a.WorkID, b.WorkID))
	})
	if err := s.store.RecordReadings(ctx, batch); err != nil {
		q.mu.Lock()
		if q.pending == nil {
			q.pending = map[readingKey]*store.ReadingViews{}
		}
		for _, v := range batch {
			k := readingKey{v.UserID, v.WorkID}
			if later := q.pending[k]; later != nil {
				later.Views += v.Views
				later.First = v.First
				if later.ChapterID == 0 {
					later.ChapterID = v.ChapterID
				}
			} else {
				q.pending[k] = &v
			}
		}
		if !q.armed {
			q.armed = true
			time.AfterFunc(readingDelay, s.flushReadingsLogged)
		}
		q.mu.Unlock()
		return err
	}
	return nil
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
	if err := s.FlushReadings(ctx); err != nil {
		return nil, 0, err
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
	if err := s.FlushReadings(ctx); err != nil {
		return err
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
