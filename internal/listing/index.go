// Package listing is the in-memory index that answers "which works match"
// for every reader-facing listing: filter by the tag rule, visibility and
// mutes, sort, page and count facets. It is built from the store at start
// and updated by every write in the request that commits it.
//
// The design: one roaring bitmap per tag (the works carrying it), per
// visibility class, completion, crossover and language; the filter rule's
// expansion of a tag is the union of its expansion's bitmaps, cached and
// kept up to date by writes. Every sort has a presorted order of all works,
// kept sorted as counters change, so a page of a large result is a short
// walk; small results are sorted directly. Each work keeps the filterable
// tags it matches, so facets are one pass over the result with dense counters.
package listing

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/RoaringBitmap/roaring/v2"

	"quire/internal/archive"
	"quire/internal/store"
	"quire/internal/tags"
)

// doc is what the index keeps of one work.
type doc struct {
	store.IndexRow
}

// filterArena holds, for every work, the filterable tags it matches under
// the filter rule (each direct tag's filter tag and its meta tags),
// deduplicated, in one flat slice indexed by work id: a facet pass over a
// large result then streams through memory instead of chasing pointers.
type filterArena struct {
	data    []uint32
	off     []uint32 // by work id
	n       []uint16 // by work id
	garbage int
}

func (a *filterArena) get(id uint32) []uint32 {
	if int(id) >= len(a.off) {
		return nil
	}
	o := a.off[id]
	return a.data[o : o+uint32(a.n[id])]
}

func (a *filterArena) set(id uint32, fs []uint32) {
	if int(id) >= len(a.off) {
		size := max(int(id)+1, 2*len(a.off))
		a.off = append(a.off, make([]uint32, size-len(a.off))...)
		a.n = append(a.n, make([]uint16, size-len(a.n))...)
	}
	a.garbage += int(a.n[id])
	if len(fs) > math.MaxUint16 {
		fs = fs[:math.MaxUint16]
	}
	a.off[id] = uint32(len(a.data))
	a.n[id] = uint16(len(fs))
	a.data = append(a.data, fs...)
	if a.garbage > 1<<16 && a.garbage > len(a.data)/2 {
		a.compact()
	}
}

// compact rewrites the arena in id order, dropping replaced lists.
func (a *filterArena) compact() {
	data := make([]uint32, 0, len(a.data)-a.garbage)
	for id := range a.off {
		o := a.off[id]
		n := uint32(a.n[id])
		a.off[id] = uint32(len(data))
		data = append(data, a.data[o:o+n]...)
	}
	a.data, a.garbage = data, 0
}

// Index is the listing index. It is safe for concurrent use.
type Index struct {
	mu         sync.RWMutex
	docs       []*doc // by work id; nil where there is none
	n          int
	all        *roaring.Bitmap
	draft      *roaring.Bitmap
	hidden     *roaring.Bitmap
	restricted *roaring.Bitmap
	complete   *roaring.Bitmap
	crossover  *roaring.Bitmap
	lang       map[string]*roaring.Bitmap
	direct     map[int64]*roaring.Bitmap // tag id -> works carrying it
	byUser     map[int64]*roaring.Bitmap // creator user id -> works
	graph      *tags.Graph
	orders     map[string]*order
	filters    filterArena
	building   bool // Build defers sorting the orders to the end
	// kinds maps a tag id to 1+its index in FacetTypes when the tag is
	// filterable, else 0: the facet pass needs no map lookups.
	kinds []int8
	// classCounts are facet counts over every work a guest (0) and a
	// logged-in reader (1) may see, kept by writes, so that a result larger
	// than half of those is counted by its (smaller) complement.
	classCounts [2][]int32

	// cacheMu guards filterSets and permittedSets, which readers fill
	// under the read lock.
	cacheMu       sync.Mutex
	permittedSets [2]*roaring.Bitmap
	// filterSets caches the filter rule's expansion per filter tag; writes
	// keep the cached sets exact and wrangling drops the ones it changes.
	filterSets map[int64]*roaring.Bitmap
	version    uint64
	scratch    sync.Pool // *facetScratch
}

// New returns an empty index over a tag graph.
func New(g *tags.Graph) *Index {
	if g == nil {
		g = tags.NewGraph(nil)
	}
	ix := &Index{
		all:        roaring.New(),
		draft:      roaring.New(),
		hidden:     roaring.New(),
		restricted: roaring.New(),
		complete:   roaring.New(),
		crossover:  roaring.New(),
		lang:       map[string]*roaring.Bitmap{},
		direct:     map[int64]*roaring.Bitmap{},
		byUser:     map[int64]*roaring.Bitmap{},
		graph:      g,
		orders:     map[string]*order{},
		filterSets: map[int64]*roaring.Bitmap{},
	}
	for _, k := range orderKeys {
		ix.orders[k] = &order{key: k}
	}
	ix.buildKinds()
	return ix
}

func (ix *Index) buildKinds() {
	var maxID int64
	ix.graph.Each(func(n *tags.Node) { maxID = max(maxID, n.ID) })
	kinds := make([]int8, maxID+1)
	ix.graph.Each(func(n *tags.Node) {
		if !n.Filterable() {
			return
		}
		for i, t := range FacetTypes {
			if n.Type == t {
				kinds[n.ID] = int8(i + 1)
			}
		}
	})
	ix.kinds = kinds
}

// classOf is the visibility class counts a work contributes to: -1 none
// (draft, hidden), 0 everyone (also guests), 1 logged-in readers only.
func classOf(d *doc) int {
	switch {
	case d.Draft || d.Hidden:
		return -1
	case d.Restricted:
		return 1
	}
	return 0
}

// count adds delta for each filter of a work to the class counts.
func (ix *Index) count(d *doc, filters []uint32, delta int32) {
	c := classOf(d)
	if c < 0 {
		return
	}
	for cls := c; cls <= 1; cls++ {
		cc := ix.classCounts[cls]
		for _, f := range filters {
			if int(f) >= len(cc) {
				cc = append(cc, make([]int32, max(int(f)+1, 2*len(cc))-len(cc))...)
			}
			cc[f] += delta
		}
		ix.classCounts[cls] = cc
	}
}

// Source is what Build reads.
type Source interface {
	AllTags(ctx context.Context) ([]store.TagRow, error)
	IndexRows(ctx context.Context, fn func(store.IndexRow) error) error
	CountWorks(ctx context.Context) (int, error)
}

// GraphFromRows builds a tag graph from stored rows.
func GraphFromRows(rows []store.TagRow) *tags.Graph {
	nodes := make([]tags.Node, len(rows))
	for i, r := range rows {
		nodes[i] = tags.Node{Tag: r.Tag, Meta: r.Meta, Parents: r.Parents}
	}
	return tags.NewGraph(nodes)
}

// Build reads every work from the store, writing progress to w.
func Build(ctx context.Context, src Source, progress io.Writer) (*Index, error) {
	start := time.Now()
	trows, err := src.AllTags(ctx)
	if err != nil {
		return nil, fmt.Errorf("build index: %w", err)
	}
	total, err := src.CountWorks(ctx)
	if err != nil {
		return nil, fmt.Errorf("build index: %w", err)
	}
	ix := New(GraphFromRows(trows))
	ix.building = true
	matches := map[int64][]uint32{}
	n := 0
	err = src.IndexRows(ctx, func(r store.IndexRow) error {
		if r.ID <= 0 || r.ID > math.MaxUint32 {
			return fmt.Errorf("work id %d is outside the index's range", r.ID)
		}
		ix.put(r, matches)
		n++
		if progress != nil && (n%100000 == 0 || n == total) {
			fmt.Fprintf(progress, "index: %d/%d works (%.0f%%) %.1fs\n", n, total, 100*float64(n)/math.Max(1, float64(total)), time.Since(start).Seconds())
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("build index: %w", err)
	}
	ix.building = false
	ix.rebuildOrders()
	ix.all.RunOptimize()
	return ix, nil
}

func (ix *Index) rebuildOrders() {
	ids := ix.all.ToArray()
	var wg sync.WaitGroup
	for _, o := range ix.orders {
		wg.Add(1)
		go func() { defer wg.Done(); o.rebuild(ix.docs, ids) }()
	}
	wg.Wait()
}

// Version changes with every write; caches may key on it.
func (ix *Index) Version() uint64 {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.version
}

// Len is the number of works indexed.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.n
}

// Graph returns the current tag graph.
func (ix *Index) Graph() *tags.Graph {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.graph
}

// SetGraph replaces the tag graph after wrangling. Only what the change
// affects is recomputed: the cached filter sets whose expansion changed, and
// the works carrying a tag whose matches changed.
func (ix *Index) SetGraph(g *tags.Graph) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	old := ix.graph
	ix.graph = g
	ix.buildKinds()
	ix.cacheMu.Lock()
	for root := range ix.filterSets {
		if !sameSet(old.Expand(root), g.Expand(root)) || old.FilterTag(root) != g.FilterTag(root) {
			delete(ix.filterSets, root)
		}
	}
	ix.cacheMu.Unlock()
	// Works whose matches change: those carrying a tag whose Matches differ.
	affected := roaring.New()
	for id, b := range ix.direct {
		if !sameSet(old.Matches(id), g.Matches(id)) || old.Node(id) == nil != (g.Node(id) == nil) ||
			(g.Node(id) != nil && old.Node(id) != nil && g.Node(id).Type == archive.TypeFandom && !sameSet(old.MetaClosure(old.FilterTag(id)), g.MetaClosure(g.FilterTag(id)))) {
			affected.Or(b)
		}
	}
	matches := map[int64][]uint32{}
	it := affected.Iterator()
	for it.HasNext() {
		id := it.Next()
		d := ix.docs[id]
		if d == nil {
			continue
		}
		ix.count(d, ix.filters.get(id), -1)
		fs := ix.filtersOf(d.TagIDs, matches)
		ix.filters.set(id, fs)
		ix.count(d, fs, 1)
		if ix.isCrossover(d) {
			ix.crossover.Add(id)
		} else {
			ix.crossover.Remove(id)
		}
	}
	ix.version++
}

func sameSet(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// Put adds or replaces a work.
func (ix *Index) Put(r store.IndexRow) {
	if r.ID <= 0 || r.ID > math.MaxUint32 {
		return
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(uint32(r.ID))
	ix.put(r, nil)
	ix.version++
}

// Remove drops a work.
func (ix *Index) Remove(id int64) {
	if id <= 0 || id > math.MaxUint32 {
		return
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(uint32(id))
	ix.version++
}

// SetCounts updates the counters that sort (hits, kudos, comments, bookmarks).
func (ix *Index) SetCounts(id, hits, kudos, comments, bookmarks int64) {
	ix.updateCounters(id, func(d *doc) { d.Hits, d.Kudos, d.Comments, d.Bookmarks = hits, kudos, comments, bookmarks })
}

// AddHit counts one hit.
func (ix *Index) AddHit(id int64) {
	ix.updateCounters(id, func(d *doc) { d.Hits++ })
}

// updateCounters changes a work's counters and moves it in the orders that
// sort by them: a binary search and a short copy each, so hits can change
// on every read.
func (ix *Index) updateCounters(id int64, change func(*doc)) {
	if id <= 0 || id > math.MaxUint32 {
		return
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	d := ix.doc(uint32(id))
	if d == nil {
		return
	}
	counters := []string{"hits", "kudos", "comments", "bookmarks"}
	for _, k := range counters {
		ix.orders[k].remove(ix.docs, d)
	}
	change(d)
	for _, k := range counters {
		ix.orders[k].insert(ix.docs, d)
	}
	ix.version++
}

func (ix *Index) doc(id uint32) *doc {
	if int(id) < len(ix.docs) {
		return ix.docs[id]
	}
	return nil
}

func bitmapFor(m map[int64]*roaring.Bitmap, k int64) *roaring.Bitmap {
	b := m[k]
	if b == nil {
		b = roaring.New()
		m[k] = b
	}
	return b
}

// filtersOf lists the filterable tags a work with these direct tags matches.
func (ix *Index) filtersOf(tagIDs []int64, cache map[int64][]uint32) []uint32 {
	var out []uint32
	for _, t := range tagIDs {
		m, ok := cache[t]
		if !ok {
			for _, f := range ix.graph.Matches(t) {
				if n := ix.graph.Node(f); n != nil && n.Filterable() {
					m = append(m, uint32(f))
				}
			}
			if cache != nil {
				cache[t] = m
			}
		}
		for _, f := range m {
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	return out
}

func (ix *Index) put(r store.IndexRow, matchCache map[int64][]uint32) {
	id := uint32(r.ID)
	if int(id) >= len(ix.docs) {
		grown := make([]*doc, max(int(id)+1, 2*len(ix.docs)))
		copy(grown, ix.docs)
		ix.docs = grown
	}
	d := &doc{IndexRow: r}
	filters := ix.filtersOf(r.TagIDs, matchCache)
	ix.filters.set(id, filters)
	ix.count(d, filters, 1)
	ix.docs[id] = d
	ix.n++
	ix.all.Add(id)
	mark := func(b *roaring.Bitmap, on bool) {
		if on {
			b.Add(id)
		}
	}
	mark(ix.draft, r.Draft)
	mark(ix.hidden, r.Hidden)
	mark(ix.restricted, r.Restricted)
	mark(ix.complete, r.ChaptersExpected > 0 && r.ChaptersPosted >= r.ChaptersExpected)
	lang := strings.ToLower(r.Language)
	if ix.lang[lang] == nil {
		ix.lang[lang] = roaring.New()
	}
	ix.lang[lang].Add(id)
	for _, t := range r.TagIDs {
		bitmapFor(ix.direct, t).Add(id)
	}
	for _, u := range r.CreatorUserIDs {
		bitmapFor(ix.byUser, u).Add(id)
	}
	mark(ix.crossover, ix.isCrossover(d))
	// Keep cached filter sets exact: the work joins every set it matches.
	ix.cacheMu.Lock()
	for _, f := range filters {
		if b := ix.filterSets[int64(f)]; b != nil {
			b.Add(id)
		}
	}
	ix.permittedSets = [2]*roaring.Bitmap{}
	ix.cacheMu.Unlock()
	if !ix.building {
		for _, o := range ix.orders {
			o.insert(ix.docs, d)
		}
	}
}

func (ix *Index) remove(id uint32) {
	d := ix.doc(id)
	if d == nil {
		return
	}
	for _, o := range ix.orders {
		o.remove(ix.docs, d)
	}
	ix.docs[id] = nil
	ix.n--
	for _, b := range []*roaring.Bitmap{ix.all, ix.draft, ix.hidden, ix.restricted, ix.complete, ix.crossover} {
		b.Remove(id)
	}
	if b := ix.lang[strings.ToLower(d.Language)]; b != nil {
		b.Remove(id)
	}
	for _, t := range d.TagIDs {
		if b := ix.direct[t]; b != nil {
			b.Remove(id)
		}
	}
	for _, u := range d.CreatorUserIDs {
		if b := ix.byUser[u]; b != nil {
			b.Remove(id)
		}
	}
	ix.count(d, ix.filters.get(id), -1)
	ix.cacheMu.Lock()
	for _, f := range ix.filters.get(id) {
		if b := ix.filterSets[int64(f)]; b != nil {
			b.Remove(id)
		}
	}
	ix.permittedSets = [2]*roaring.Bitmap{}
	ix.cacheMu.Unlock()
	ix.filters.set(id, nil)
}

func (ix *Index) isCrossover(d *doc) bool {
	var fandoms []int64
	for _, t := range d.TagIDs {
		if n := ix.graph.Node(t); n != nil && n.Type == archive.TypeFandom {
			fandoms = append(fandoms, t)
		}
	}
	return len(fandoms) > 1 && ix.graph.IsCrossover(fandoms)
}

// filterSet returns the works a filter on tag id matches. Callers hold at
// least the read lock; the cache is filled under cacheMu.
func (ix *Index) filterSet(id int64) *roaring.Bitmap {
	root := ix.graph.FilterTag(id)
	ix.cacheMu.Lock()
	b := ix.filterSets[root]
	ix.cacheMu.Unlock()
	if b != nil {
		return b
	}
	var parts []*roaring.Bitmap
	for _, t := range ix.graph.Expand(root) {
		if d := ix.direct[t]; d != nil {
			parts = append(parts, d)
		}
	}
	b = roaring.FastOr(parts...)
	ix.cacheMu.Lock()
	if cached := ix.filterSets[root]; cached != nil {
		b = cached
	} else {
		ix.filterSets[root] = b
	}
	ix.cacheMu.Unlock()
	return b
}
