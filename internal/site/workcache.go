package site

import (
	"context"
	"sync"

	"quire/internal/archive"
)

// workCache keeps recently read works and their chapters, so a listing or
// a work page reads from the store only what it has not shown since it
// last changed. Every write to a work or its chapters passes through Site,
// which drops the work and its chapters from the cache in the same request
// (see forget), and another node's writes reach forget through the change
// feed; pages never see a stale work.
type workCache struct {
	mu sync.Mutex
	m  map[int64]*archive.Work
	// chapters holds works' chapter lists without bodies; bodies holds
	// chapters with their bodies, up to maxCachedBodyBytes of text.
	chapters  map[int64][]*archive.Chapter
	bodies    map[int64]map[int64]*archive.Chapter
	bodyBytes int
	// gen counts forgets: a reader that loaded works while a write forgot
	// one does not cache what it loaded (it may be the old version).
	gen uint64
}

const (
	// maxCachedWorks bounds the works (and, separately, the chapter
	// lists) kept: at 100k works, 20k was too few for the listings' deep
	// pages and sorts, and every overflow emptied the cache at once.
	maxCachedWorks     = 100_000
	maxCachedBodyBytes = 64 << 20
)

// evictSome deletes about an eighth of m (at least n entries), in the
// map's random iteration order, so a full cache sheds some entries
// instead of being emptied at once (which made every reader miss at the
// same moment).
func evictSome[V any](m map[int64]V, n int) {
	n = max(n, len(m)/8)
	for k := range m {
		if n <= 0 {
			return
		}
		delete(m, k)
		n--
	}
}

// loadThrough returns (*m)[key] when a cache holds it, else what load
// returns, kept in *m (shedding some entries past limit) unless gen moved
// on while it loaded: a write forgot entries meanwhile, and what was loaded
// may be the old state. mu guards m and gen.
func loadThrough[V any](mu *sync.Mutex, gen *uint64, m *map[int64]V, limit int, key int64, load func() (V, error)) (V, error) {
	mu.Lock()
	v, ok := (*m)[key]
	g := *gen
	mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	mu.Lock()
	if *gen == g {
		if *m == nil {
			*m = map[int64]V{}
		}
		if len(*m) >= limit {
			evictSome(*m, 1)
		}
		(*m)[key] = v
	}
	mu.Unlock()
	return v, nil
}

// forget drops a work and its chapters after a write.
func (s *Site) forget(id int64) {
	s.works.mu.Lock()
	delete(s.works.m, id)
	delete(s.works.chapters, id)
	for _, c := range s.works.bodies[id] {
		s.works.bodyBytes -= chapterBytes(c)
	}
	delete(s.works.bodies, id)
	s.works.gen++
	s.works.mu.Unlock()
}

func chapterBytes(c *archive.Chapter) int {
	return len(c.Body.HTML) + len(c.Body.Source) + len(c.Notes.HTML) + len(c.EndNotes.HTML) + len(c.Summary.HTML) + 256
}

// chapterList returns a work's chapters without bodies, drafts included,
// from the cache where it can. The chapters are shared: callers must not
// change them or the slice.
func (s *Site) chapterList(ctx context.Context, workID int64) ([]*archive.Chapter, error) {
	return loadThrough(&s.works.mu, &s.works.gen, &s.works.chapters, maxCachedWorks, workID, func() ([]*archive.Chapter, error) {
		return s.store.Chapters(ctx, workID, false)
	})
}

// chapter returns one chapter of a work with its body, from the cache where
// it can. The chapter is shared: callers must not change it.
func (s *Site) chapter(ctx context.Context, workID, chapterID int64) (*archive.Chapter, error) {
	s.works.mu.Lock()
	c := s.works.bodies[workID][chapterID]
	gen := s.works.gen
	s.works.mu.Unlock()
	if c != nil {
		return c, nil
	}
	c, err := s.store.Chapter(ctx, workID, chapterID)
	if err != nil {
		return nil, err
	}
	s.works.mu.Lock()
	if s.works.gen == gen && c.WorkID == workID {
		s.cacheBodyLocked(workID, c)
	}
	s.works.mu.Unlock()
	return c, nil
}

// cacheBodyLocked keeps a chapter with its body; s.works.mu is held.
func (s *Site) cacheBodyLocked(workID int64, c *archive.Chapter) {
	n := chapterBytes(c)
	if n > maxCachedBodyBytes/8 {
		return
	}
	if s.works.bodies == nil {
		s.works.bodies, s.works.bodyBytes = map[int64]map[int64]*archive.Chapter{}, 0
	}
	// Over the bound: shed works' chapters (a quarter of the bytes at
	// least) rather than all of them.
	if s.works.bodyBytes+n > maxCachedBodyBytes {
		goal := maxCachedBodyBytes * 3 / 4
		for id, cs := range s.works.bodies {
			for _, c := range cs {
				s.works.bodyBytes -= chapterBytes(c)
			}
			delete(s.works.bodies, id)
			if s.works.bodyBytes+n <= goal {
				break
			}
		}
		if len(s.works.bodies) == 0 {
			s.works.bodyBytes = 0
		}
	}
	if s.works.bodies[workID] == nil {
		s.works.bodies[workID] = map[int64]*archive.Chapter{}
	}
	if old := s.works.bodies[workID][c.ID]; old != nil {
		s.works.bodyBytes -= chapterBytes(old)
	}
	s.works.bodies[workID][c.ID] = c
	s.works.bodyBytes += n
}

// chaptersWithBodies returns a work's chapters (drafts included) with their
// bodies, from the cache when it holds them all, else in one read that
// fills it. The chapters are shared: callers must not change them.
func (s *Site) chaptersWithBodies(ctx context.Context, workID int64) ([]*archive.Chapter, error) {
	list, err := s.chapterList(ctx, workID)
	if err != nil {
		return nil, err
	}
	out := make([]*archive.Chapter, len(list))
	s.works.mu.Lock()
	cached := s.works.bodies[workID]
	all := true
	for i, c := range list {
		if out[i] = cached[c.ID]; out[i] == nil {
			all = false
			break
		}
	}
	gen := s.works.gen
	s.works.mu.Unlock()
	if all {
		return out, nil
	}
	cs, err := s.store.Chapters(ctx, workID, true)
	if err != nil {
		return nil, err
	}
	s.works.mu.Lock()
	if s.works.gen == gen {
		for _, c := range cs {
			s.cacheBodyLocked(workID, c)
		}
	}
	s.works.mu.Unlock()
	return cs, nil
}

// hitsCounted moves the cached works' hit counts by what a flush of the
// hit queue wrote, instead of forgetting the works the readers open most
// every time their hits are written.
func (s *Site) hitsCounted(counted map[int64]int64) {
	s.works.mu.Lock()
	defer s.works.mu.Unlock()
	for id, n := range counted {
		if w := s.works.m[id]; w != nil {
			c := *w
			c.Hits += n
			s.works.m[id] = &c
		}
	}
	// A read that began before the write must not cache what it read.
	s.works.gen++
}

// worksByIDs returns the works in the order of ids, from the cache where it
// can. The works returned are shared: callers must not change them.
func (s *Site) worksByIDs(ctx context.Context, ids []int64) ([]*archive.Work, error) {
	out := make([]*archive.Work, len(ids))
	var missing []int64
	s.works.mu.Lock()
	for i, id := range ids {
		if w := s.works.m[id]; w != nil {
			out[i] = w
		} else {
			missing = append(missing, id)
		}
	}
	gen := s.works.gen
	s.works.mu.Unlock()
	if len(missing) > 0 {
		loaded, err := s.store.WorksByIDs(ctx, missing)
		if err != nil {
			return nil, err
		}
		byID := make(map[int64]*archive.Work, len(loaded))
		for _, w := range loaded {
			byID[w.ID] = w
		}
		s.works.mu.Lock()
		if s.works.gen == gen {
			if over := len(s.works.m) + len(loaded) - maxCachedWorks; over > 0 {
				evictSome(s.works.m, over)
			}
			for _, w := range loaded {
				s.works.m[w.ID] = w
			}
		}
		s.works.mu.Unlock()
		for i, id := range ids {
			if out[i] == nil {
				out[i] = byID[id]
			}
		}
	}
	// A work deleted between the index answer and the read is left out.
	kept := out[:0]
	for _, w := range out {
		if w != nil {
			kept = append(kept, w)
		}
	}
	return kept, nil
}
