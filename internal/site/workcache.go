package site

import (
	"context"
	"sync"

	"quire/internal/archive"
)

// workCache keeps recently listed works, so a listing page reads from the
// store only the works it has not shown since they last changed. Every
// write to a work passes through Site, which drops the work from the cache
// in the same request (see forget); listings never see a stale work.
type workCache struct {
	mu sync.Mutex
	m  map[int64]*archive.Work
	// gen counts forgets: a reader that loaded works while a write forgot
	// one does not cache what it loaded (it may be the old version).
	gen uint64
}

const maxCachedWorks = 20_000

// forget drops a work after a write.
func (s *Site) forget(id int64) {
	s.works.mu.Lock()
	delete(s.works.m, id)
	s.works.gen++
	s.works.mu.Unlock()
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
		loaded, err := s.Store.WorksByIDs(ctx, missing)
		if err != nil {
			return nil, err
		}
		byID := make(map[int64]*archive.Work, len(loaded))
		for _, w := range loaded {
			byID[w.ID] = w
		}
		s.works.mu.Lock()
		if s.works.gen == gen {
			if len(s.works.m)+len(loaded) > maxCachedWorks {
				clear(s.works.m)
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
