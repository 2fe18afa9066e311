package listing

import (
	"cmp"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
)

// A large result's facets need not visit its works. A tag's count in the
// result is at most its count over everything the viewer's class may see
// (classCounts), so taking each type's tags from the most used down and
// counting each exactly as the size of its filter set's intersection with
// the result (word-wise popcounts over dense bitmaps) can stop as soon as
// the next tag's bound falls below the tenth best count found: no tag
// further down can enter the ten. When the bounds do not fall off quickly
// (results unlike the archive as a whole), the pass over the works is used.

// rankedTags are one class's filterable tags per facet type, most used
// first, with the counts they had when ranked. Counts only grow through
// Put (each by at most one per work), so a ranking stays a valid bound with
// slack: the number of works put since.
type rankedTags struct {
	byType [][]rankedTag
	puts   uint64 // ix.puts when ranked
}

type rankedTag struct {
	id    uint32
	count int32
}

// boundedFacetBudget is how many exact counts the bounded path may take
// per type before it gives up for the pass over the works.
const boundedFacetBudget = 48

// ranked returns class cls's ranking, made again when it has gone slack.
// Callers hold the read lock.
func (ix *Index) ranked(cls int) *rankedTags {
	ix.cacheMu.Lock()
	defer ix.cacheMu.Unlock()
	r := ix.rankings[cls]
	if r != nil && ix.puts-r.puts <= max(1024, uint64(ix.n)/1024) {
		return r
	}
	r = &rankedTags{byType: make([][]rankedTag, len(FacetTypes)), puts: ix.puts}
	counts := ix.classCounts[cls]
	for f, k := range ix.kinds {
		if k == 0 {
			continue
		}
		c := int32(0)
		if f < len(counts) {
			c = counts[f]
		}
		r.byType[k-1] = append(r.byType[k-1], rankedTag{id: uint32(f), count: c})
	}
	for _, list := range r.byType {
		slices.SortFunc(list, func(a, b rankedTag) int { return cmp.Compare(b.count, a.count) })
	}
	ix.rankings[cls] = r
	return r
}

// boundedFacets computes the facets of b (of class cls) by the bounds, or
// reports false when they would take more exact counts than the budget.
func (ix *Index) boundedFacets(b *roaring.Bitmap, cls int) ([][]facetEntry, bool) {
	r := ix.ranked(cls)
	slack := int64(ix.puts - r.puts)
	top := make([][]facetEntry, len(FacetTypes))
	for k, list := range r.byType {
		taken := 0
		for _, e := range list {
			if len(top[k]) == 10 && int64(e.count)+slack < int64(top[k][9].count) {
				break
			}
			if e.count+int32(min(slack, 1<<30)) <= 0 {
				break // no work left to count
			}
			if taken++; taken > boundedFacetBudget {
				return nil, false
			}
			if c := int32(b.AndCardinality(ix.filterSet(int64(e.id)))); c > 0 {
				top[k] = ix.pushTop(top[k], facetEntry{id: e.id, count: c})
			}
		}
	}
	return top, true
}
