package listing

// PublicWork is a work a guest may see, with its last update (Unix
// seconds), as the sitemap lists it.
type PublicWork struct {
	ID      int64
	Updated int64
}

// PublicWorks returns the works a guest may see (none draft, hidden or
// restricted), in id order, from the offset-th on and at most limit of
// them, and how many there are in all.
func (ix *Index) PublicWorks(offset, limit int) ([]PublicWork, int) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	b := ix.permittedClass(0)
	total := int(b.GetCardinality())
	if offset < 0 || limit <= 0 || offset >= total {
		return nil, total
	}
	first, err := b.Select(uint32(offset))
	if err != nil {
		return nil, total
	}
	out := make([]PublicWork, 0, min(limit, total-offset))
	it := b.Iterator()
	it.AdvanceIfNeeded(first)
	for it.HasNext() && len(out) < limit {
		id := it.Next()
		out = append(out, PublicWork{ID: int64(id), Updated: int64(ix.col.updated[id])})
	}
	return out, total
}

// IsPublic reports whether a guest may see the work.
func (ix *Index) IsPublic(id int64) bool {
	if id <= 0 || id > 1<<32-1 {
		return false
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.permittedClass(0).Contains(uint32(id))
}
