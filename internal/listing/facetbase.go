package listing

import (
	"github.com/RoaringBitmap/roaring/v2"
)

// Readers filter a popular tag's works and then narrow them: exclude a few
// tags, a warning, works in progress. The result is then most of the tag's
// works, too many to count quickly and unlike the archive as a whole (so
// the facet bounds of facetbound.go do not fall off). A base keeps the
// facet counts of every work one popular tag's filter matches, per
// visibility class, exact under writes as classCounts are; the result's
// counts are then the base's less a pass over the few works the narrowing
// took out.

// baseKey names a base: a filter tag and a visibility class.
type baseKey struct {
	root int64
	cls  int
}

// maxFacetBases bounds the bases kept (each is four bytes per tag: 25 MB
// for 128 bases over 50,000 tags).
const maxFacetBases = 128

// includeRoots are the filter tags of a query's includes (already
// resolved once by match, so no error is expected here).
func (ix *Index) includeRoots(q Query, vis *roaring.Bitmap) []int64 {
	var roots []int64
	for _, ref := range q.Include {
		if id, err := ix.resolve(ref, vis); err == nil {
			roots = append(roots, ix.graph.FilterTag(id))
		}
	}
	return roots
}

// baseFacets counts the facets of b (within p, of class cls) as a base
// less the works the narrowing took out, when one of the query's include
// roots offers a base larger than what it takes out. A base not kept yet
// is made when its tag is popular (ix.facetBaseAt works) and the narrowing
// takes out less than it leaves.
func (ix *Index) baseFacets(b, p *roaring.Bitmap, cls int, roots []int64) ([][]facetEntry, bool) {
	card, pc := b.GetCardinality(), p.GetCardinality()
	// A base pays when what was taken out is smaller than the result, so
	// the base is under twice the result: a small result has none.
	if len(roots) == 0 || card*2 < ix.facetBaseAt {
		return nil, false
	}
	var (
		best    []int32
		bestSet *roaring.Bitmap
		bestOut uint64
	)
	for _, root := range roots {
		key := baseKey{root, cls}
		ix.cacheMu.Lock()
		counts := ix.facetBases[key]
		ix.cacheMu.Unlock()
		set := ix.filterSet(root)
		size := set.AndCardinality(p)
		if size < ix.facetBaseAt || size < card {
			continue
		}
		// out works are counted instead of the result's card; the class's
		// complement (pc-card works) may be the smaller pass still.
		out := size - card
		if out >= card || out >= pc-card || best != nil && out >= bestOut {
			continue
		}
		if counts == nil {
			if counts = ix.makeBase(roaring.And(set, p), key); counts == nil {
				continue
			}
		}
		best, bestSet, bestOut = counts, set, out
	}
	if best == nil {
		return nil, false
	}
	sc := ix.getScratch()
	defer ix.putScratch(sc)
	taken := roaring.And(bestSet, p)
	taken.AndNot(b)
	ix.tally(sc, taken)
	top := make([][]facetEntry, len(FacetTypes))
	for f, n := range best {
		if n == 0 || ix.kinds[f] == 0 {
			continue
		}
		if c := n - sc.count(f); c > 0 {
			k := ix.kinds[f] - 1
			top[k] = ix.pushTop(top[k], facetEntry{id: uint32(f), count: c})
		}
	}
	return top, true
}

// makeBase counts the facets of set (a filter tag's works within a class's
// permitted set) and keeps them. A full cache gives up its least used base
// only for a tag that has offered one more often, so a working set of
// popular tags larger than the cache, or one-off queries, do not rebuild
// bases over and over. It returns nil when it makes none.
// Callers hold the read lock.
func (ix *Index) makeBase(set *roaring.Bitmap, key baseKey) []int32 {
	ix.cacheMu.Lock()
	ix.baseUses[key]++
	uses := ix.baseUses[key]
	var victim *baseKey
	full := len(ix.facetBases) >= maxFacetBases
	if full {
		least := uses
		for k := range ix.facetBases {
			if u := ix.baseUses[k]; u < least {
				least, victim = u, &k
			}
		}
	}
	ix.cacheMu.Unlock()
	if full && victim == nil {
		return nil
	}
	sc := ix.getScratch()
	defer ix.putScratch(sc)
	ix.tally(sc, set)
	ix.baseBuilds.Add(1)
	counts := make([]int32, len(ix.kinds))
	for _, f := range sc.touched {
		if int(f) < len(counts) {
			counts[f] = sc.counts[f].n
		}
	}
	ix.cacheMu.Lock()
	if victim != nil {
		delete(ix.facetBases, *victim)
	}
	ix.facetBases[key] = counts
	ix.cacheMu.Unlock()
	return counts
}

// countBases moves a work's filters in and out of the bases it belongs to
// (those of the filter tags it matches, for each class it counts in).
// Callers hold the write lock.
func (ix *Index) countBases(c int, filters []uint32, delta int32) {
	if len(ix.facetBases) == 0 {
		return
	}
	for cls := c; cls <= 1; cls++ {
		for _, root := range filters {
			counts := ix.facetBases[baseKey{int64(root), cls}]
			if counts == nil {
				continue
			}
			for _, f := range filters {
				if int(f) < len(counts) {
					counts[f] += delta
				}
			}
		}
	}
}
