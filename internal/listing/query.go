package listing

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/RoaringBitmap/roaring/v2"

	"quire/internal/archive"
)

// TagRef names a tag in a filter; an empty Type means any type.
type TagRef struct {
	Type archive.TagType
	Name string
}

// Query is one listing request (SPEC's parameters).
type Query struct {
	Include           []TagRef
	Exclude           []TagRef
	Ratings           []string
	ExcludeRatings    []string
	Warnings          []string
	ExcludeWarnings   []string
	Categories        []string
	ExcludeCategories []string
	Complete          *bool
	Crossover         string // "", "only", "exclude"
	WordsFrom         *int   // nil = unbounded
	WordsTo           *int   // nil = unbounded
	UpdatedFrom       time.Time
	UpdatedTo         time.Time // inclusive day
	Language          string
	// TextIDs, when non-nil, restricts to works the full-text search found.
	TextIDs *roaring.Bitmap
	// Numeric bounds from the q syntax (kudos>100 …); -1 = unbounded.
	Ranges []Range
	// CreatorUserID restricts to one creator's works (their anonymous
	// works only when the viewer is that creator).
	CreatorUserID int64
	// Collections restricts to the works approved in any of these
	// collections (a collection with its sub-collections); only such a
	// listing shows unrevealed works, and only unfiltered.
	Collections []int64
	// A logged-in reader's own filters (exclude_read, exclude_kudosed,
	// exclude_bookmarked, marked_for_later): the site turns them into Only
	// and Without, the reader's sets the result must lie in and avoid.
	ExcludeRead, ExcludeKudosed, ExcludeBookmarked, MarkedForLater bool
	Only, Without                                                  []*roaring.Bitmap
	// SkipFacets leaves Result.Facets empty (benchmarks time them apart).
	SkipFacets bool
	Sort       string
	Order      string
	Page       int
	PerPage    int
}

// Range bounds a counter inclusively.
type Range struct {
	Field    string // words, kudos, hits, comments, bookmarks
	Min, Max int64  // -1 = unbounded
}

// Viewer is who is asking: what they may see and what they muted.
type Viewer struct {
	UserID     int64
	MutedTags  []int64
	MutedUsers []int64
	// Hidden is the works the reader hid, one by one (nil: none).
	Hidden *roaring.Bitmap
}

// LoggedIn reports whether the viewer has an account.
func (v Viewer) LoggedIn() bool { return v.UserID != 0 }

// MaxPage bounds page numbers far beyond any archive, far below overflow.
const MaxPage = 10_000_000

// Sorts lists the accepted sort keys.
var Sorts = []string{"updated", "posted", "title", "creator", "words", "hits", "kudos", "comments", "bookmarks", "relevance"}

// UnknownTagError is a filter naming a tag that does not exist for the reader.
type UnknownTagError struct{ Name string }

func (e *UnknownTagError) Error() string { return fmt.Sprintf("there is no tag named %q", e.Name) }

// Facet is one filter checkbox: a tag and how many works in the result match it.
type Facet struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// Result is one page of a listing.
type Result struct {
	Total   int
	Page    int
	PerPage int
	IDs     []int64
	Facets  map[archive.TagType][]Facet
}

// FacetTypes are the tag types facets are computed for.
var FacetTypes = archive.TagTypes

// Normalize fills defaults and checks ranges; it returns a ValidationError.
func (q *Query) Normalize() error {
	if q.Sort == "" {
		q.Sort = "updated"
	}
	ok := false
	for _, s := range Sorts {
		ok = ok || s == q.Sort
	}
	if !ok {
		return archive.Invalid("sort", "%q is not a sort; use one of %s", q.Sort, strings.Join(Sorts, ", "))
	}
	switch q.Order {
	case "":
		q.Order = "desc"
		if q.Sort == "title" || q.Sort == "creator" {
			q.Order = "asc"
		}
	case "asc", "desc":
	default:
		return archive.Invalid("order", "must be asc or desc")
	}
	if q.Page == 0 {
		q.Page = 1
	}
	if q.Page < 1 || q.Page > MaxPage {
		return archive.Invalid("page", "must be a whole number from 1 to %d", MaxPage)
	}
	if q.PerPage == 0 {
		q.PerPage = 20
	}
	if q.PerPage < 1 || q.PerPage > 100 {
		return archive.Invalid("per_page", "must be between 1 and 100")
	}
	switch q.Crossover {
	case "", "only", "exclude":
	default:
		return archive.Invalid("crossover", "must be only or exclude")
	}
	return nil
}

// permitted is every work the viewer may see at all: not draft, not hidden,
// not restricted for guests. Mutes don't change which tags exist for a
// reader, so tag existence is decided against this set.
func (ix *Index) permitted(v Viewer) *roaring.Bitmap {
	return ix.permittedClass(viewerClass(v)).Clone()
}

func viewerClass(v Viewer) int {
	if v.LoggedIn() {
		return 1
	}
	return 0
}

// permittedClass is the shared, cached permitted set of a class; callers
// must not change it.
func (ix *Index) permittedClass(cls int) *roaring.Bitmap {
	ix.cacheMu.Lock()
	defer ix.cacheMu.Unlock()
	if b := ix.permittedSets[cls]; b != nil {
		return b
	}
	b := ix.all.Clone()
	b.AndNot(ix.draft)
	b.AndNot(ix.hidden)
	if cls == 0 {
		b.AndNot(ix.restricted)
	}
	b.RunOptimize()
	ix.permittedSets[cls] = b
	return b
}

// visible is every work the viewer may see in a listing: the permitted
// works less everything they muted.
func (ix *Index) visible(v Viewer) *roaring.Bitmap {
	return ix.unmuted(ix.permitted(v), v)
}

// unmuted removes the viewer's muted tags (by the filter rule) and users from b.
func (ix *Index) unmuted(b *roaring.Bitmap, v Viewer) *roaring.Bitmap {
	for _, t := range v.MutedTags {
		if ix.graph.Node(t) != nil {
			b.AndNot(ix.filterSet(t))
		}
	}
	for _, u := range v.MutedUsers {
		if m := ix.byUser[u]; m != nil {
			m.removeFrom(b)
		}
	}
	if v.Hidden != nil {
		b.AndNot(v.Hidden)
	}
	return b
}

// resolve finds the filter tag for a reference, as the viewer may know it:
// a canonical tag, or one carried (directly) by a work the viewer may see.
func (ix *Index) resolve(ref TagRef, permitted *roaring.Bitmap) (int64, error) {
	for _, n := range ix.graph.Lookup(ref.Type, ref.Name) {
		if p := ix.direct[n.ID]; n.Canonical || p != nil && p.intersects(permitted) {
			return ix.graph.FilterTag(n.ID), nil
		}
	}
	return 0, &UnknownTagError{Name: ref.Name}
}

// Search runs a query for a viewer: the total, the page's ids and (unless
// q.SkipFacets) the facets.
func (ix *Index) Search(q Query, v Viewer) (Result, error) {
	if err := q.Normalize(); err != nil {
		return Result{}, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	b, vis, cls, err := ix.match(q, v)
	if err != nil {
		return Result{}, err
	}
	total := int(b.GetCardinality())
	res := Result{Total: total, Page: q.Page, PerPage: q.PerPage}
	res.IDs = ix.page(b, total, q)
	if !q.SkipFacets {
		key, counters, cacheable := facetKey(&q, v, cls)
		stamp := ix.shape
		if counters {
			stamp = ix.version
		}
		if cached, ok := ix.cachedFacets(key, stamp); cacheable && ok {
			res.Facets = cached
		} else {
			res.Facets = ix.facets(b, vis, cls, ix.includeRoots(q, vis))
			if cacheable {
				ix.keepFacets(key, stamp, res.Facets)
			}
		}
	}
	return res, nil
}

// Facets computes only the facets of a query's result.
func (ix *Index) Facets(q Query, v Viewer) (map[archive.TagType][]Facet, error) {
	if err := q.Normalize(); err != nil {
		return nil, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	b, vis, cls, err := ix.match(q, v)
	if err != nil {
		return nil, err
	}
	return ix.facets(b, vis, cls, ix.includeRoots(q, vis)), nil
}

// match is the set algebra: the works the query matches for the viewer,
// the viewer's permitted set and class. Callers hold the read lock.
// The sets a result must lie in are intersected smallest first, so a
// selective query never copies the permitted set; the sets it must avoid
// are taken out of that (smaller) intersection.
func (ix *Index) match(q Query, v Viewer) (b, vis *roaring.Bitmap, cls int, err error) {
	cls = viewerClass(v)
	// vis decides which tags exist for the viewer; it is shared, never changed.
	vis = ix.permittedClass(cls)
	in := []*roaring.Bitmap{vis}
	var out []*roaring.Bitmap
	empty := false
	if q.CreatorUserID != 0 {
		var sets []*roaring.Bitmap
		if m := ix.byUser[q.CreatorUserID]; m != nil {
			sets = append(sets, m.bitmap())
		}
		if m := ix.anonByUser[q.CreatorUserID]; m != nil && v.UserID == q.CreatorUserID {
			sets = append(sets, m.bitmap())
		}
		switch len(sets) {
		case 0:
			empty = true
		case 1:
			in = append(in, sets[0])
		default:
			in = append(in, roaring.FastOr(sets...))
		}
	}
	if len(q.Collections) > 0 {
		var sets []*roaring.Bitmap
		for _, c := range q.Collections {
			if m := ix.byCollection[c]; m != nil {
				sets = append(sets, m.bitmap())
			}
		}
		switch len(sets) {
		case 0:
			empty = true
		case 1:
			in = append(in, sets[0])
		default:
			in = append(in, roaring.FastOr(sets...))
		}
	}
	// A mystery work lists only in its collection (unfiltered) and on its
	// creator's own list of their works.
	own := q.CreatorUserID != 0 && q.CreatorUserID == v.UserID
	if !own && (len(q.Collections) == 0 || q.filtered()) {
		out = append(out, ix.unrevealed)
	}
	for _, ref := range q.Include {
		id, err := ix.resolve(ref, vis)
		if err != nil {
			return nil, nil, 0, err
		}
		in = append(in, ix.filterSet(id))
	}
	for _, ref := range q.Exclude {
		id, err := ix.resolve(ref, vis)
		if err != nil {
			return nil, nil, 0, err
		}
		out = append(out, ix.filterSet(id))
	}
	fixed := func(t archive.TagType, names []string, any, exclude bool) error {
		if len(names) == 0 {
			return nil
		}
		var sets []*roaring.Bitmap
		for _, n := range names {
			id, err := ix.resolve(TagRef{Type: t, Name: n}, vis)
			if err != nil {
				return err
			}
			sets = append(sets, ix.filterSet(id))
		}
		switch {
		case exclude:
			out = append(out, sets...)
		case any && len(sets) > 1:
			in = append(in, roaring.FastOr(sets...))
		default:
			in = append(in, sets...)
		}
		return nil
	}
	for _, f := range []struct {
		t        archive.TagType
		names    []string
		any, neg bool
	}{
		{archive.TypeRating, q.Ratings, true, false}, {archive.TypeRating, q.ExcludeRatings, false, true},
		{archive.TypeWarning, q.Warnings, false, false}, {archive.TypeWarning, q.ExcludeWarnings, false, true},
		{archive.TypeCategory, q.Categories, false, false}, {archive.TypeCategory, q.ExcludeCategories, false, true},
	} {
		if err := fixed(f.t, f.names, f.any, f.neg); err != nil {
			return nil, nil, 0, err
		}
	}
	if q.Complete != nil {
		if *q.Complete {
			in = append(in, ix.complete)
		} else {
			out = append(out, ix.complete)
		}
	}
	switch q.Crossover {
	case "only":
		in = append(in, ix.crossover)
	case "exclude":
		out = append(out, ix.crossover)
	}
	if q.Language != "" {
		if l := ix.lang[strings.ToLower(q.Language)]; l != nil {
			in = append(in, l)
		} else {
			empty = true
		}
	}
	if q.TextIDs != nil {
		in = append(in, q.TextIDs)
	}
	in = append(in, q.Only...)
	out = append(out, q.Without...)
	if empty {
		return roaring.New(), vis, cls, nil
	}
	slices.SortFunc(in, func(x, y *roaring.Bitmap) int {
		return cmp.Compare(x.GetCardinality(), y.GetCardinality())
	})
	if len(in) == 1 {
		b = in[0].Clone()
	} else {
		b = roaring.And(in[0], in[1])
		for _, s := range in[2:] {
			if b.IsEmpty() {
				break
			}
			b.And(s)
		}
	}
	for _, s := range out {
		if b.IsEmpty() {
			break
		}
		b.AndNot(s)
	}
	b = ix.unmuted(b, v)
	if hasRanges(q) {
		b = ix.applyRanges(b, q)
	}
	return b, vis, cls, nil
}

// filtered reports whether the query narrows by anything but collection
// and creator: a mystery work matches no such query, so nothing about it
// can be learnt by filtering.
func (q Query) filtered() bool {
	return len(q.Include) > 0 || len(q.Exclude) > 0 || len(q.Ratings) > 0 || len(q.ExcludeRatings) > 0 ||
		len(q.Warnings) > 0 || len(q.ExcludeWarnings) > 0 || len(q.Categories) > 0 || len(q.ExcludeCategories) > 0 ||
		q.Complete != nil || q.Crossover != "" || q.Language != "" || q.TextIDs != nil || hasRanges(q)
}

func hasRanges(q Query) bool {
	return q.WordsFrom != nil || q.WordsTo != nil || !q.UpdatedFrom.IsZero() || !q.UpdatedTo.IsZero() || len(q.Ranges) > 0
}

// applyRanges keeps the works within the word, date and counter bounds.
// Each bound is a stretch of that field's presorted order; when the
// stretch is smaller than the result it becomes a bitmap to intersect,
// otherwise the result's works are checked one by one.
func (ix *Index) applyRanges(b *roaring.Bitmap, q Query) *roaring.Bitmap {
	var rs []Range
	if q.WordsFrom != nil || q.WordsTo != nil {
		r := Range{Field: "words", Min: -1, Max: -1}
		if q.WordsFrom != nil {
			r.Min = int64(*q.WordsFrom)
		}
		if q.WordsTo != nil {
			r.Max = int64(*q.WordsTo)
		}
		rs = append(rs, r)
	}
	if !q.UpdatedFrom.IsZero() || !q.UpdatedTo.IsZero() {
		r := Range{Field: "updated", Min: -1, Max: -1}
		if !q.UpdatedFrom.IsZero() {
			r.Min = q.UpdatedFrom.Unix()
		}
		if !q.UpdatedTo.IsZero() {
			// Dates are kept as seconds since 1970, earlier ones as 0: a
			// bound before 1970 keeps only those (a negative Max would
			// mean no bound at all).
			r.Max = max(0, q.UpdatedTo.AddDate(0, 0, 1).Unix()-1)
		}
		rs = append(rs, r)
	}
	rs = append(rs, q.Ranges...)
	var rest []Range
	for _, r := range rs {
		o := ix.orders[r.Field]
		if o == nil {
			rest = append(rest, r)
			continue
		}
		lo, hi := r.Min, r.Max
		if lo < 0 {
			lo = math.MinInt64
		}
		if hi < 0 {
			hi = math.MaxInt64
		}
		// The field's threshold sets cut any result but a tiny one: the
		// checks they leave are of the works in two buckets, where checking
		// every work of the result costs a cache miss each.
		if c := ix.cuts[r.Field]; c != nil && b.GetCardinality() > ix.cutsAbove {
			c.apply(b, r.Min, r.Max, ix.col.numeric(r.Field))
			continue
		}
		from, to := o.bounds(&ix.col, lo, hi)
		// A bitmap of the stretch inside the bound, or of the two outside
		// it, pays only when it is much smaller than the result; otherwise
		// checking the result's works one by one is cheaper.
		inside, outside := uint64(to-from), uint64(len(o.ids)-(to-from))
		switch card := b.GetCardinality(); {
		case inside*3 < card && inside <= outside:
			b.And(sortedBitmap(o.ids[from:to]))
		case outside*3 < card:
			b.AndNot(sortedBitmap(o.ids[:from]))
			b.AndNot(sortedBitmap(o.ids[to:]))
		default:
			rest = append(rest, r)
		}
	}
	if len(rest) == 0 {
		return b
	}
	// Kept ids come in increasing order: collected, they make a bitmap
	// container by container instead of one insertion at a time.
	kept := make([]uint32, 0, 1024)
	eachMany(b, func(ids []uint32) {
		for _, id := range ids {
			if ix.inRanges(id, rest) {
				kept = append(kept, id)
			}
		}
	})
	out := roaring.New()
	out.AddMany(kept)
	return out
}

// sortedBitmap makes a bitmap of a stretch of an order: sorted first, it is
// built container by container.
func sortedBitmap(ids []uint32) *roaring.Bitmap {
	s := slices.Clone(ids)
	slices.Sort(s)
	b := roaring.New()
	b.AddMany(s)
	return b
}

func (ix *Index) inRanges(id uint32, rs []Range) bool {
	for _, r := range rs {
		v := ix.col.value(r.Field, id)
		if r.Min >= 0 && v < r.Min || r.Max >= 0 && v > r.Max {
			return false
		}
	}
	return true
}

// page returns the ids of the requested page of b in the query's order.
// A large result walks the presorted order until the page is full; a small
// one is cheaper to sort directly.
func (ix *Index) page(b *roaring.Bitmap, total int, q Query) []int64 {
	from := (q.Page - 1) * q.PerPage
	if from >= total {
		return nil
	}
	to := min(from+q.PerPage, total)
	key := sortKeyOf(q.Sort)
	desc := q.Order != "asc"
	out := make([]int64, 0, to-from)
	// Walking costs about to*n/total probes; sorting about total*log(total).
	if uint64(to)*uint64(ix.n) > 8*uint64(total)*uint64(total) {
		return ix.sortedPage(b, key, desc, from, to, out)
	}
	i := 0
	o := ix.orders[key]
	// When the sort field is itself bounded, every match lies in that
	// bound's stretch of the order: walk only the stretch.
	if lo, hi, ok := sortBounds(q, key); ok {
		o = &order{key: key, ids: o.between(&ix.col, lo, hi)}
	}
	contains := b.Contains
	// A sparse result costs many probes; a flat bitset makes each one a
	// single bit test instead of a search inside a roaring container.
	if uint64(to)*uint64(ix.n) > ix.bitsetWalkAt*uint64(total) {
		bits := ix.bitset(b)
		defer ix.putBitset(bits, b)
		contains = func(id uint32) bool { return int(id>>6) < len(*bits) && (*bits)[id>>6]&(1<<(id&63)) != 0 }
	}
	o.walk(&ix.col, desc, contains, func(id uint32) bool {
		if i >= from {
			out = append(out, int64(id))
		}
		i++
		return i < to
	})
	return out
}

// sortedPage sorts the result directly and returns positions [from, to).
// A numeric key and the id pack into one integer whose order is the
// listing's (ties by id descending in both directions), so the sort compares
// integers; only the first to need sorting, the rest are cut off by a
// selection first.
func (ix *Index) sortedPage(b *roaring.Bitmap, key string, desc bool, from, to int, out []int64) []int64 {
	col := ix.col.numeric(key)
	if col == nil {
		ids := b.ToArray()
		slices.SortFunc(ids, func(x, y uint32) int {
			c := ix.col.compare(key, x, y)
			if desc {
				c = -c
			}
			if c != 0 {
				return c
			}
			if x > y {
				return -1
			}
			return 1
		})
		for _, id := range ids[from:min(to, len(ids))] {
			out = append(out, int64(id))
		}
		return out
	}
	keys := make([]uint64, 0, b.GetCardinality())
	var flip uint32
	if desc {
		flip = math.MaxUint32
	}
	eachMany(b, func(ids []uint32) {
		for _, id := range ids {
			keys = append(keys, uint64(col[id]^flip)<<32|uint64(^id))
		}
	})
	to = min(to, len(keys))
	if to < len(keys)/2 {
		selectSmallest(keys, to)
		keys = keys[:to]
	}
	slices.Sort(keys)
	for _, k := range keys[from:to] {
		out = append(out, int64(^uint32(k)))
	}
	return out
}

// selectSmallest reorders s so that its k smallest values come first (in
// no particular order): quickselect, linear on average.
func selectSmallest(s []uint64, k int) {
	lo, hi := 0, len(s) // the k-th smallest lies in s[lo:hi]
	for hi-lo > 16 {
		// Median of three as the pivot; Hoare partition.
		a, m, z := s[lo], s[lo+(hi-lo)/2], s[hi-1]
		if a > m {
			a, m = m, a
		}
		if m > z {
			m = z
			if a > m {
				m = a
			}
		}
		pivot := m
		i, j := lo-1, hi
		for {
			for i++; s[i] < pivot; i++ {
			}
			for j--; s[j] > pivot; j-- {
			}
			if i >= j {
				break
			}
			s[i], s[j] = s[j], s[i]
		}
		// s[lo:j+1] <= pivot <= s[j+1:hi]
		if k <= j+1 {
			hi = j + 1
		} else {
			lo = j + 1
		}
	}
	slices.Sort(s[lo:hi])
}

// bitset copies b into a pooled flat bitset (give it back with
// putBitset). Pooled bitsets are all zero: clearing a whole one costs a
// pass over n/8 bytes (1.25 MB at 10M works) where the sparse results that
// use one set a few hundred words.
func (ix *Index) bitset(b *roaring.Bitmap) *[]uint64 {
	n := len(ix.col.words)/64 + 1
	bits, _ := ix.bitsets.Get().(*[]uint64)
	if bits == nil || cap(*bits) < n {
		s := make([]uint64, n)
		bits = &s
	}
	*bits = (*bits)[:n]
	eachMany(b, func(ids []uint32) {
		for _, id := range ids {
			if int(id>>6) < n {
				(*bits)[id>>6] |= 1 << (id & 63)
			}
		}
	})
	return bits
}

// putBitset zeroes the words b set and pools the bitset again.
func (ix *Index) putBitset(bits *[]uint64, b *roaring.Bitmap) {
	n := len(*bits)
	eachMany(b, func(ids []uint32) {
		for _, id := range ids {
			if int(id>>6) < n {
				(*bits)[id>>6] = 0
			}
		}
	})
	ix.bitsets.Put(bits)
}

// eachMany calls fn with b's members in increasing batches.
func eachMany(b *roaring.Bitmap, fn func([]uint32)) {
	var buf [512]uint32
	it := b.ManyIterator()
	for k := it.NextMany(buf[:]); k > 0; k = it.NextMany(buf[:]) {
		fn(buf[:k])
	}
}

// sortBounds returns the query's bound on the sort field, if it has one.
func sortBounds(q Query, key string) (lo, hi int64, ok bool) {
	lo, hi = math.MinInt64, math.MaxInt64
	switch key {
	case "words":
		if q.WordsFrom != nil {
			lo, ok = int64(*q.WordsFrom), true
		}
		if q.WordsTo != nil {
			hi, ok = int64(*q.WordsTo), true
		}
	case "updated":
		if !q.UpdatedFrom.IsZero() {
			lo, ok = q.UpdatedFrom.Unix(), true
		}
		if !q.UpdatedTo.IsZero() {
			hi, ok = max(0, q.UpdatedTo.AddDate(0, 0, 1).Unix()-1), true
		}
	}
	for _, r := range q.Ranges {
		if r.Field != key {
			continue
		}
		if r.Min >= 0 {
			lo, ok = max(lo, r.Min), true
		}
		if r.Max >= 0 {
			hi, ok = min(hi, r.Max), true
		}
	}
	return lo, hi, ok
}

// facetScratch is reusable counting space for facets.
type facetScratch struct {
	counts  []tagCount
	touched []uint32
}

// tagCount keeps a tag's count beside the last work (id+1) counted for it,
// so one cache line serves both.
type tagCount struct {
	n     int32
	stamp uint32
}

// getScratch takes pooled counting space, its counts all zero.
func (ix *Index) getScratch() *facetScratch {
	sc, _ := ix.scratch.Get().(*facetScratch)
	if sc == nil {
		sc = &facetScratch{}
	}
	sc.touched = sc.touched[:0]
	return sc
}

// putScratch zeroes the counts sc touched and pools it again.
func (ix *Index) putScratch(sc *facetScratch) {
	for _, f := range sc.touched {
		sc.counts[f] = tagCount{}
	}
	ix.scratch.Put(sc)
}

func (sc *facetScratch) add(f, mark uint32) {
	if int(f) >= len(sc.counts) {
		sc.counts = growTo(sc.counts, max(int(f)+1, 2*len(sc.counts)))
	}
	c := &sc.counts[f]
	if c.stamp == mark {
		return // a work counts once per tag
	}
	c.stamp = mark
	if c.n == 0 {
		sc.touched = append(sc.touched, f)
	}
	c.n++
}

func (sc *facetScratch) count(f int) int32 {
	if f < len(sc.counts) {
		return sc.counts[f].n
	}
	return 0
}

// tally adds one for each filter of each work in b to sc.counts.
func (ix *Index) tally(sc *facetScratch, b *roaring.Bitmap) {
	card := b.GetCardinality()
	if card < ix.parallelTallyAt || card < 2 {
		ix.tallyFrom(sc, b, math.MaxUint32)
		return
	}
	// A large result is counted in two halves at once, each into its own
	// scratch; a work lies in one half, so the halves just add up.
	mid, err := b.Select(uint32(card / 2))
	if err != nil {
		ix.tallyFrom(sc, b, math.MaxUint32)
		return
	}
	other := ix.getScratch()
	defer ix.putScratch(other)
	done := make(chan struct{})
	upper := b.Clone()
	upper.RemoveRange(0, uint64(mid))
	go func() { ix.tallyFrom(other, upper, math.MaxUint32); close(done) }()
	ix.tallyFrom(sc, b, mid-1)
	<-done
	for _, f := range other.touched {
		if int(f) >= len(sc.counts) {
			sc.counts = growTo(sc.counts, int(f)+1)
		}
		if sc.counts[f].n == 0 {
			sc.touched = append(sc.touched, f)
		}
		sc.counts[f].n += other.counts[f].n
		sc.counts[f].stamp = 0
	}
}

// tallyFrom counts the works of b with ids up to hi.
func (ix *Index) tallyFrom(sc *facetScratch, b *roaring.Bitmap, hi uint32) {
	buf := make([]uint32, 512)
	tagBuf := make([]uint32, 0, 64)
	it := b.ManyIterator()
	for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
		for _, id := range buf[:n] {
			if id > hi {
				return
			}
			mark := id + 1
			tagBuf = ix.col.tags.get(id, tagBuf)
			for _, t := range tagBuf {
				if int(t/64) < len(ix.self) && ix.self[t/64]&(1<<(t%64)) != 0 {
					sc.add(t, mark)
					continue
				}
				for _, f := range ix.matches.get(t) {
					sc.add(f, mark)
				}
			}
		}
	}
}

// facets counts, for each type, the ten filterable tags most matched by the
// result b (a subset of the permitted set p of class cls), each count exact
// under the filter rule: every work counts once for each filterable tag it
// matches. A result larger than half of p is counted as p's totals less its
// complement.
func (ix *Index) facets(b, p *roaring.Bitmap, cls int, roots []int64) map[archive.TagType][]Facet {
	top, ok := ix.baseFacets(b, p, cls, roots)
	// Bounds pay for a large result whose complement is large too: a small
	// complement is counted faster by the pass over it.
	if card, pc := b.GetCardinality(), p.GetCardinality(); !ok && min(card, pc-card) >= ix.boundedFacetsAt && min(card, pc-card)*8 >= uint64(ix.n) {
		top, ok = ix.boundedFacets(b, cls)
	}
	if !ok {
		top = ix.tallyFacets(b, p, cls)
	}
	out := make(map[archive.TagType][]Facet, len(FacetTypes))
	for i, t := range FacetTypes {
		fs := make([]Facet, 0, len(top[i]))
		for _, e := range top[i] {
			fs = append(fs, Facet{Name: ix.graph.Node(int64(e.id)).Name, Count: int(e.count)})
		}
		out[t] = fs
	}
	return out
}

// tallyFacets counts the facets by a pass over the works of b, or of its
// complement in p when that is smaller.
func (ix *Index) tallyFacets(b, p *roaring.Bitmap, cls int) [][]facetEntry {
	sc := ix.getScratch()
	defer ix.putScratch(sc)
	top := make([][]facetEntry, len(FacetTypes))
	consider := func(f uint32, c int32) {
		if c <= 0 || int(f) >= len(ix.kinds) || ix.kinds[f] == 0 {
			return
		}
		k := ix.kinds[f] - 1
		top[k] = ix.pushTop(top[k], facetEntry{id: f, count: c})
	}
	card, pc := b.GetCardinality(), p.GetCardinality()
	if card*2 > pc {
		comp := p.Clone()
		comp.AndNot(b)
		ix.tally(sc, comp)
		for f, total := range ix.classCounts[cls] {
			consider(uint32(f), total-sc.count(f))
		}
	} else {
		ix.tally(sc, b)
		for _, f := range sc.touched {
			consider(f, sc.counts[f].n)
		}
	}
	return top
}

type facetEntry struct {
	id    uint32
	count int32
}

// pushTop keeps the ten best entries: most works first, ties by name.
func (ix *Index) pushTop(list []facetEntry, e facetEntry) []facetEntry {
	better := func(a, b facetEntry) bool {
		if a.count != b.count {
			return a.count > b.count
		}
		return ix.graph.Node(int64(a.id)).Name < ix.graph.Node(int64(b.id)).Name
	}
	if len(list) == 10 && !better(e, list[9]) {
		return list
	}
	i := len(list)
	for i > 0 && better(e, list[i-1]) {
		i--
	}
	list = slices.Insert(list, i, e)
	if len(list) > 10 {
		list = list[:10]
	}
	return list
}

// TagWorkCount is how many works the viewer can see that a filter on the tag matches.
func (ix *Index) TagWorkCount(id int64, v Viewer) int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	vis := ix.visible(v)
	return int(vis.AndCardinality(ix.filterSet(id)))
}

// TagWorkCounts is TagWorkCount for many tags at once, the viewer's visible
// set computed once (the fandom directory counts every fandom of a medium).
func (ix *Index) TagWorkCounts(ids []int64, v Viewer) map[int64]int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	vis := ix.visible(v)
	out := make(map[int64]int, len(ids))
	for _, id := range ids {
		if ix.graph.Node(id) != nil {
			out[id] = int(vis.AndCardinality(ix.filterSet(id)))
		}
	}
	return out
}

// VisibleTags keeps, of ids, the tags the viewer may know exist (as
// TagVisible), in their order: tag search filters every name it matched
// with it, then counts only the page it shows (TagWorkCounts).
func (ix *Index) VisibleTags(ids []int64, v Viewer) []int64 {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	perm := ix.permittedClass(viewerClass(v))
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		n := ix.graph.Node(id)
		if n == nil {
			continue
		}
		if p := ix.direct[id]; n.Canonical || p != nil && p.intersects(perm) {
			out = append(out, id)
		}
	}
	return out
}

// Languages lists the codes of the languages of the works the viewer may
// see (for the sidebar's language select), in no particular order.
func (ix *Index) Languages(v Viewer) []string {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	perm := ix.permittedClass(viewerClass(v))
	var out []string
	for code, b := range ix.lang {
		if b.Intersects(perm) {
			out = append(out, code)
		}
	}
	return out
}

// TagVisible reports whether the viewer may know the tag exists: canonical,
// or carried (directly) by a work the viewer may see.
func (ix *Index) TagVisible(id int64, v Viewer) bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	n := ix.graph.Node(id)
	if n == nil {
		return false
	}
	if n.Canonical {
		return true
	}
	p := ix.direct[id]
	return p != nil && p.intersects(ix.permittedClass(viewerClass(v)))
}

// TagUses returns, for each tag id, how many visible works carry it directly
// (autocomplete popularity).
func (ix *Index) TagUses(ids []int64, v Viewer) map[int64]int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	vis := ix.visible(v)
	out := make(map[int64]int, len(ids))
	for _, id := range ids {
		if p := ix.direct[id]; p != nil {
			out[id] = p.andCardinality(vis)
		}
	}
	return out
}
