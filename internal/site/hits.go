package site

import (
	"context"
	"strconv"
	"sync"
	"time"

	"quire/internal/store"
)

// Views are counted in batches: a work page queues its view and answers at
// once, and one transaction a moment later writes every view queued
// meanwhile. A write per view held the store's single writer (SQLite's
// lock) on the page readers open most, and made each read forget the
// cached work it had just loaded.
const (
	hitDelay    = 500 * time.Millisecond // how long a view waits for others to share its write
	hitBatchMax = 4096                   // a batch this large is written without waiting
)

// hitQueue holds views not yet written.
type hitQueue struct {
	mu      sync.Mutex
	pending []store.VisitorHit
	queued  map[store.VisitorHit]bool // visitor views in pending: a reload adds nothing
	armed   bool                      // a flush is scheduled
	flushMu sync.Mutex                // one flush at a time, so batches land in order

	saltMu sync.Mutex
	salt   string // the archive's visitor salt, read once
}

// CountHit queues a view of a work: one hit per visitor per work per day
// when the request carries its visitor (WithVisitor), keyed by a salted
// hash of the day and the account, or of the day, guest cookie and
// address. The hit reaches the store and the listings within hitDelay;
// FlushHits writes it at once.
func (s *Site) CountHit(ctx context.Context, id int64) {
	day := s.Now().Unix() / 86400
	h := store.VisitorHit{WorkID: id, Day: day}
	if v, ok := VisitorFrom(ctx); ok {
		who := []string{"hit", strconv.FormatInt(day, 10), "guest", v.Cookie, v.Address}
		if v.User != nil {
			who = []string{"hit", strconv.FormatInt(day, 10), "user", strconv.FormatInt(v.User.ID, 10)}
		}
		key, err := s.visitorHash(ctx, who...)
		if err != nil {
			s.Log.Warn("count hit", "work", id, "err", err)
			return
		}
		h.Visitor = key
	}
	q := &s.hits
	q.mu.Lock()
	if h.Visitor != "" {
		if q.queued[h] {
			q.mu.Unlock()
			return
		}
		if q.queued == nil {
			q.queued = map[store.VisitorHit]bool{}
		}
		q.queued[h] = true
	}
	q.pending = append(q.pending, h)
	now, later := len(q.pending) >= hitBatchMax, !q.armed
	q.armed = true
	q.mu.Unlock()
	switch {
	case now:
		go s.flushHitsLogged()
	case later:
		time.AfterFunc(hitDelay, s.flushHitsLogged)
	}
}

func (s *Site) flushHitsLogged() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.FlushHits(ctx); err != nil {
		s.Log.Warn("count hits", "err", err)
	}
}

// FlushHits writes every queued view now and moves the works it counted in
// the listing orders. Serve calls it after the last request at shutdown,
// so a SIGTERM loses no hit; a SIGKILL loses the views of the last
// hitDelay. A failed write puts the views back for the next flush.
func (s *Site) FlushHits(ctx context.Context) error {
	q := &s.hits
	q.flushMu.Lock()
	defer q.flushMu.Unlock()
	q.mu.Lock()
	batch := q.pending
	q.pending, q.queued, q.armed = nil, nil, false
	q.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	counted, err := s.store.AddHits(ctx, batch)
	if err != nil {
		q.mu.Lock()
		q.pending = append(batch, q.pending...)
		if !q.armed {
			q.armed = true
			time.AfterFunc(hitDelay, s.flushHitsLogged)
		}
		q.mu.Unlock()
		return err
	}
	for id, n := range counted {
		s.Index.AddHits(id, n)
	}
	s.hitsCounted(counted)
	return nil
}

// visitorSalt is the archive's salt for visitor hashes; it never changes
// while the archive runs, so it is read once.
func (s *Site) visitorSalt(ctx context.Context) (string, error) {
	q := &s.hits
	q.saltMu.Lock()
	defer q.saltMu.Unlock()
	if q.salt != "" {
		return q.salt, nil
	}
	salt, err := s.store.VisitorSalt(ctx)
	if err != nil {
		return "", err
	}
	q.salt = salt
	return salt, nil
}
