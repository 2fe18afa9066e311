package listing

import (
	"slices"
	"strconv"
	"strings"

	"quire/internal/archive"
)

// Facets of a filtered listing cost more than the page itself (a pass over
// the result), and the same listing is asked for again and again while the
// set of works it matches stays the same. facetCache keeps recent facets
// keyed by everything that decides the result's membership (not its sort or
// page) and stamped with the index's shape: the count of writes that can
// change membership (puts, removes, wrangling). A hit or a kudos moves a
// work in the orders but leaves every membership alone, so it does not
// empty the cache — unless the query bounds a counter (kudos>100), whose
// facets are then stamped with every write.
type facetCache struct {
	m map[string]cachedFacetSet
}

type cachedFacetSet struct {
	stamp  uint64
	facets map[archive.TagType][]Facet
}

const maxCachedFacets = 4096

// facetKey names a query's membership for a viewer; ok is false when the
// query cannot be cached (full-text results are sets of their own).
func facetKey(q *Query, v Viewer, cls int) (key string, counters bool, ok bool) {
	// A reader's own sets (hidden, read, kudosed …) are theirs alone: such
	// facets are counted afresh, never cached.
	if q.TextIDs != nil || len(q.Only) > 0 || len(q.Without) > 0 || v.Hidden != nil {
		return "", false, false
	}
	var b strings.Builder
	tagRefs := func(label string, refs []TagRef) {
		b.WriteString(label)
		for _, r := range refs {
			b.WriteString(string(r.Type))
			b.WriteByte(':')
			b.WriteString(strconv.Quote(r.Name))
			b.WriteByte(',')
		}
		b.WriteByte('|')
	}
	names := func(label string, ns []string) {
		b.WriteString(label)
		for _, n := range ns {
			b.WriteString(strconv.Quote(n))
			b.WriteByte(',')
		}
		b.WriteByte('|')
	}
	ints := func(label string, ids []int64) {
		b.WriteString(label)
		for _, id := range ids {
			b.WriteString(strconv.FormatInt(id, 10))
			b.WriteByte(',')
		}
		b.WriteByte('|')
	}
	optInt := func(label string, p *int) {
		b.WriteString(label)
		if p != nil {
			b.WriteString(strconv.Itoa(*p))
		}
		b.WriteByte('|')
	}
	tagRefs("i", q.Include)
	tagRefs("x", q.Exclude)
	names("r", q.Ratings)
	names("xr", q.ExcludeRatings)
	names("w", q.Warnings)
	names("xw", q.ExcludeWarnings)
	names("c", q.Categories)
	names("xc", q.ExcludeCategories)
	b.WriteString("done")
	if q.Complete != nil {
		b.WriteString(strconv.FormatBool(*q.Complete))
	}
	b.WriteByte('|')
	names("cross", []string{q.Crossover, q.Language})
	optInt("wf", q.WordsFrom)
	optInt("wt", q.WordsTo)
	names("upd", []string{q.UpdatedFrom.String(), q.UpdatedTo.String()})
	for _, r := range q.Ranges {
		b.WriteString(r.Field)
		b.WriteString(strconv.FormatInt(r.Min, 10) + ".." + strconv.FormatInt(r.Max, 10) + ",")
		if r.Field != "words" {
			counters = true
		}
	}
	b.WriteByte('|')
	ints("u", []int64{q.CreatorUserID, v.UserID, int64(cls)})
	ints("col", q.Collections)
	ints("mt", v.MutedTags)
	ints("mu", v.MutedUsers)
	return b.String(), counters, true
}

// cachedFacets returns the facets for key if they are current. Callers
// hold the read lock.
func (ix *Index) cachedFacets(key string, stamp uint64) (map[archive.TagType][]Facet, bool) {
	ix.cacheMu.Lock()
	e, ok := ix.facetsCache.m[key]
	ix.cacheMu.Unlock()
	if !ok || e.stamp != stamp {
		return nil, false
	}
	return cloneFacets(e.facets), true
}

func (ix *Index) keepFacets(key string, stamp uint64, f map[archive.TagType][]Facet) {
	ix.cacheMu.Lock()
	if ix.facetsCache.m == nil || len(ix.facetsCache.m) >= maxCachedFacets {
		ix.facetsCache.m = map[string]cachedFacetSet{}
	}
	ix.facetsCache.m[key] = cachedFacetSet{stamp: stamp, facets: cloneFacets(f)}
	ix.cacheMu.Unlock()
}

// cloneFacets copies the lists, so that no caller's change reaches the cache.
func cloneFacets(f map[archive.TagType][]Facet) map[archive.TagType][]Facet {
	out := make(map[archive.TagType][]Facet, len(f))
	for t, fs := range f {
		out[t] = slices.Clone(fs)
	}
	return out
}
