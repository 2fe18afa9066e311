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
// walk; small results are sorted directly. Each work keeps its tags
// (varint-compressed), so facets are one pass over the result with dense
// counters.
package listing

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/RoaringBitmap/roaring/v2"

	"quire/internal/archive"
	"quire/internal/store"
	"quire/internal/tags"
)

// Index is the listing index. It is safe for concurrent use.
type Index struct {
	mu         sync.RWMutex
	col        columns
	n          int
	all        *roaring.Bitmap
	draft      *roaring.Bitmap
	hidden     *roaring.Bitmap
	restricted *roaring.Bitmap
	complete   *roaring.Bitmap
	crossover  *roaring.Bitmap
	lang       map[string]*roaring.Bitmap
	direct     map[int64]*posting // tag id -> works carrying it
	byUser     map[int64]*posting // creator user id -> works (not anonymous ones)
	// anonByUser holds the works whose creators a collection hides, by
	// creator: only the creator's own view of their works uses it.
	anonByUser map[int64]*posting
	// byCollection holds a collection's approved works; unrevealed works
	// ("Mystery Work") show only in collection listings.
	byCollection map[int64]*posting
	unrevealed   *roaring.Bitmap
	graph        *tags.Graph
	orders       map[string]*order
	building     bool // Build defers sorting the orders to the end
	// matches lists, per tag id, the filterable tags a work carrying it
	// matches (its filter tag and that tag's meta tags): a work's facet
	// tags are the union over its tags.
	matches listArena
	// self marks the tags whose match list is just the tag itself (most
	// tags), so the facet pass skips the lookup for them.
	self []uint64
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
	filterSets     map[int64]*roaring.Bitmap
	filterSetSizes map[int64]uint64
	filterSetBytes uint64
	filterSetUses  map[int64]uint32 // filterSet calls per expanded tag
	// facetBases are facet counts over popular tags' works (facetbase.go),
	// kept exact by writes; facetBaseAt is the size from which a tag gets
	// one (tests lower it).
	facetBases  map[baseKey][]int32
	baseUses    map[baseKey]uint32 // how often each tag offered a base
	facetBaseAt uint64
	baseBuilds  atomic.Uint64 // bases made, for the benchmarks
	version     uint64
	// shape counts the writes that can change which works a query matches
	// (puts, removes, wrangling), not counter changes; facetsCache (under
	// cacheMu) is stamped with it.
	shape       uint64
	facetsCache facetCache
	// filterSetCap overrides maxFilterSets (tests make it tiny).
	filterSetCap int
	scratch      sync.Pool // *facetScratch
	bitsets      sync.Pool // *[]uint64, flat copies of results for walks
	// rankings are the facet bounds' tag rankings per class (under
	// cacheMu); puts counts the works ever put, their slack.
	rankings [2]*rankedTags
	puts     uint64
	// boundedFacetsAt is the result size from which facets are first tried
	// by bounds (facetbound.go; tests lower it).
	boundedFacetsAt uint64
	// cuts are the threshold sets of the fields readers bound (cuts.go),
	// chosen when the index had cutsN works; cutsFrom is the archive size
	// from which they are kept and cutsAbove the result size from which
	// they are used (tests lower both).
	cuts      map[string]*cuts
	cutsN     int
	cutsFrom  int
	cutsAbove uint64
	// bitsetWalkAt is how sparse (works per probe, n/total times the page
	// end) a result must be for a walk to test membership in a flat bitset
	// (tests lower it).
	bitsetWalkAt uint64
	// parallelTallyAt is the result size from which facets are counted on
	// two goroutines (tests lower it to exercise that path).
	parallelTallyAt uint64
}

// New returns an empty index over a tag graph.
func New(g *tags.Graph) *Index {
	if g == nil {
		g = tags.NewGraph(nil)
	}
	ix := &Index{
		all:            roaring.New(),
		draft:          roaring.New(),
		hidden:         roaring.New(),
		restricted:     roaring.New(),
		complete:       roaring.New(),
		crossover:      roaring.New(),
		lang:           map[string]*roaring.Bitmap{},
		direct:         map[int64]*posting{},
		byUser:         map[int64]*posting{},
		anonByUser:     map[int64]*posting{},
		byCollection:   map[int64]*posting{},
		unrevealed:     roaring.New(),
		graph:          g,
		col:            newColumns(),
		orders:         map[string]*order{},
		filterSets:     map[int64]*roaring.Bitmap{},
		filterSetSizes: map[int64]uint64{},
		filterSetUses:  map[int64]uint32{},
		facetBases:     map[baseKey][]int32{},
		baseUses:       map[baseKey]uint32{},
		facetBaseAt:    50000,

		parallelTallyAt: 20000,
		cutsFrom:        4096,
		cutsAbove:       256,
		bitsetWalkAt:    4096,
		boundedFacetsAt: 50000,
	}
	for _, k := range orderKeys {
		ix.orders[k] = &order{key: k}
	}
	ix.buildKinds()
	return ix
}

// buildKinds fills the per-tag tables from the graph: each tag's facet type
// and the filterable tags it matches.
func (ix *Index) buildKinds() {
	var maxID int64
	ix.graph.Each(func(n *tags.Node) { maxID = max(maxID, n.ID) })
	kinds := make([]int8, maxID+1)
	ix.matches = listArena{}
	ix.self = make([]uint64, maxID/64+1)
	ix.graph.Each(func(n *tags.Node) {
		if n.ID > math.MaxUint32 {
			return
		}
		var ms []uint32
		for _, f := range ix.graph.Matches(n.ID) {
			if m := ix.graph.Node(f); m != nil && m.Filterable() && f <= math.MaxUint32 {
				ms = append(ms, uint32(f))
			}
		}
		ix.matches.set(uint32(n.ID), ms)
		if len(ms) == 1 && int64(ms[0]) == n.ID {
			ix.self[n.ID/64] |= 1 << (n.ID % 64)
		}
	})
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
func (ix *Index) classOf(id uint32) int {
	switch {
	case ix.draft.Contains(id) || ix.hidden.Contains(id):
		return -1
	case ix.restricted.Contains(id):
		return 1
	}
	return 0
}

// filtersOf lists the filterable tags a work matches under the filter rule,
// deduplicated (the union of its tags' match lists).
func (ix *Index) filtersOf(id uint32, out []uint32) []uint32 {
	out = out[:0]
	for _, t := range ix.col.tags.get(id, nil) {
		for _, f := range ix.matches.get(t) {
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	return out
}

// count adds delta for each filter of a work to the class counts.
func (ix *Index) count(id uint32, filters []uint32, delta int32) {
	c := ix.classOf(id)
	if c < 0 {
		return
	}
	ix.countBases(c, filters, delta)
	for cls := c; cls <= 1; cls++ {
		cc := ix.classCounts[cls]
		for _, f := range filters {
			cc = growTo(cc, int(f)+1)
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
	// The store is read on one goroutine while the rows are indexed on
	// this one: reading and decoding rows is most of a build.
	readCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	rows := make(chan store.IndexRow, 1024)
	var readErr error
	go func() {
		defer close(rows)
		readErr = src.IndexRows(readCtx, func(r store.IndexRow) error {
			select {
			case rows <- r:
				return nil
			case <-readCtx.Done():
				return readCtx.Err()
			}
		})
	}()
	n := 0
	for r := range rows {
		if r.ID <= 0 || r.ID > math.MaxUint32 {
			err = fmt.Errorf("work id %d is outside the index's range", r.ID)
			cancel()
			for range rows { // let the reader finish
			}
			break
		}
		ix.put(r)
		n++
		if progress != nil && (n%100000 == 0 || n == total) {
			fmt.Fprintf(progress, "index: %d/%d works (%.0f%%) %.1fs\n", n, total, 100*float64(n)/math.Max(1, float64(total)), time.Since(start).Seconds())
		}
	}
	if err == nil {
		err = readErr // the channel is closed: the reader has returned
	}
	if err != nil {
		return nil, fmt.Errorf("build index: %w", err)
	}
	ix.building = false
	ix.col.trim()
	for _, p := range ix.direct {
		p.trim()
	}
	for _, m := range []map[int64]*posting{ix.byUser, ix.anonByUser, ix.byCollection} {
		for _, p := range m {
			p.trim()
		}
	}
	ix.rebuildOrders()
	ix.all.RunOptimize()
	ix.rebuildCuts()
	return ix, nil
}

// rebuildCuts chooses the range thresholds afresh (none for a small
// archive, where checking a result's works one by one is cheap).
func (ix *Index) rebuildCuts() {
	ix.cuts, ix.cutsN = nil, ix.n
	if ix.n < ix.cutsFrom {
		return
	}
	ix.cuts = map[string]*cuts{}
	ids := ix.all.ToArray()
	for _, f := range cutFields {
		if c := newCuts(f, ix.orders[f].ids, ids, ix.col.numeric(f)); c != nil {
			ix.cuts[f] = c
		}
	}
}

func (ix *Index) rebuildOrders() {
	ids := ix.all.ToArray()
	var wg sync.WaitGroup
	for _, o := range ix.orders {
		wg.Add(1)
		go func() { defer wg.Done(); o.rebuild(&ix.col, ids) }()
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
	// Works whose matches change: those carrying a tag whose Matches differ
	// (or, for fandoms, whose meta closure does: crossovers).
	affected := roaring.New()
	for id, p := range ix.direct {
		on, nn := old.Node(id), g.Node(id)
		if (on == nil) != (nn == nil) || !sameSet(old.Matches(id), g.Matches(id)) ||
			nn != nil && on != nil && (on.Canonical != nn.Canonical || on.SynonymOf != nn.SynonymOf) ||
			nn != nil && nn.Type == archive.TypeFandom && !sameSet(old.MetaClosure(old.FilterTag(id)), g.MetaClosure(g.FilterTag(id))) {
			affected.Or(p.bitmap())
		}
	}
	// Facet bases follow filter sets that wrangling may change: they are
	// made again on demand.
	ix.cacheMu.Lock()
	clear(ix.facetBases)
	ix.cacheMu.Unlock()
	var buf []uint32
	it := affected.Iterator()
	for it.HasNext() {
		id := it.Next()
		buf = ix.filtersOf(id, buf)
		ix.count(id, buf, -1)
	}
	ix.graph = g
	ix.buildKinds()
	ix.cacheMu.Lock()
	ix.rankings = [2]*rankedTags{}
	for root := range ix.filterSets {
		if !sameSet(old.Expand(root), g.Expand(root)) || old.FilterTag(root) != g.FilterTag(root) {
			ix.dropFilterSet(root)
		}
	}
	ix.cacheMu.Unlock()
	it = affected.Iterator()
	for it.HasNext() {
		id := it.Next()
		buf = ix.filtersOf(id, buf)
		ix.count(id, buf, 1)
		if ix.isCrossover(id) {
			ix.crossover.Add(id)
		} else {
			ix.crossover.Remove(id)
		}
	}
	ix.version++
	ix.shape++
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
	ix.put(r)
	if ix.n >= ix.cutsFrom && ix.n > 2*ix.cutsN {
		ix.rebuildCuts()
	}
	ix.version++
	ix.shape++
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
	ix.shape++
}

// SetCounts updates the counters that sort (hits, kudos, comments, bookmarks).
func (ix *Index) SetCounts(id, hits, kudos, comments, bookmarks int64) {
	ix.updateCounters(id, func(c *columns, i uint32) {
		c.hits[i], c.kudos[i], c.comments[i], c.bookmarks[i] = u32(hits), u32(kudos), u32(comments), u32(bookmarks)
	})
}

// AddHits counts n more hits (a batch written to the store at once).
func (ix *Index) AddHits(id, n int64) {
	if n <= 0 {
		return
	}
	ix.updateCounters(id, func(c *columns, i uint32) {
		c.hits[i] = u32(int64(c.hits[i]) + n)
	})
}

// updateCounters changes a work's counters and moves it in the orders that
// sort by them: a binary search and a short copy each, so hits can change
// on every read.
func (ix *Index) updateCounters(id int64, change func(*columns, uint32)) {
	if id <= 0 || id > math.MaxUint32 {
		return
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	i := uint32(id)
	if !ix.all.Contains(i) {
		return
	}
	counters := [...]string{"hits", "kudos", "comments", "bookmarks"}
	var at [len(counters)]int
	for n, k := range counters {
		at[n] = ix.orders[k].position(&ix.col, i)
	}
	change(&ix.col, i)
	for n, k := range counters {
		ix.orders[k].move(&ix.col, i, at[n])
	}
	ix.version++
}

func postingFor(m map[int64]*posting, k int64) *posting {
	p := m[k]
	if p == nil {
		p = &posting{}
		m[k] = p
	}
	return p
}

func (ix *Index) put(r store.IndexRow) {
	id := uint32(r.ID)
	if r.Unrevealed {
		// A mystery work: no tag, title or creator of it counts, sorts or
		// matches a filter until the collection reveals it.
		r.TagIDs, r.TitleSort, r.CreatorSort = nil, "mystery work", "anonymous"
		ix.unrevealed.Add(id)
	}
	if r.Anonymous {
		r.CreatorSort = "anonymous"
	}
	ix.col.set(r)
	ix.n++
	ix.puts++
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
		postingFor(ix.direct, t).add(id)
	}
	byUser := ix.byUser
	if r.Anonymous || r.Unrevealed {
		byUser = ix.anonByUser
	}
	for _, u := range r.CreatorUserIDs {
		postingFor(byUser, u).add(id)
	}
	for _, c := range r.Collections {
		postingFor(ix.byCollection, c).add(id)
	}
	mark(ix.crossover, ix.isCrossover(id))
	filters := ix.filtersOf(id, nil)
	ix.count(id, filters, 1)
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
			o.insert(&ix.col, id)
		}
	}
	for f, c := range ix.cuts {
		c.add(id, ix.col.numeric(f)[id])
	}
}

func (ix *Index) remove(id uint32) {
	if !ix.all.Contains(id) {
		return
	}
	for _, o := range ix.orders {
		o.remove(&ix.col, id)
	}
	for f, c := range ix.cuts {
		c.remove(id, ix.col.numeric(f)[id])
	}
	filters := ix.filtersOf(id, nil)
	ix.count(id, filters, -1)
	ix.cacheMu.Lock()
	for _, f := range filters {
		if b := ix.filterSets[int64(f)]; b != nil {
			b.Remove(id)
		}
	}
	ix.permittedSets = [2]*roaring.Bitmap{}
	ix.cacheMu.Unlock()
	ix.n--
	for _, b := range []*roaring.Bitmap{ix.all, ix.draft, ix.hidden, ix.restricted, ix.complete, ix.crossover, ix.unrevealed} {
		b.Remove(id)
	}
	if b := ix.lang[ix.col.langs[ix.col.lang[id]]]; b != nil {
		b.Remove(id)
	}
	for _, t := range ix.col.tags.get(id, nil) {
		if p := ix.direct[int64(t)]; p != nil {
			p.remove(id)
		}
	}
	for _, u := range ix.col.users.get(id) {
		if p := ix.byUser[int64(u)]; p != nil {
			p.remove(id)
		}
	}
	for _, u := range ix.col.anon.get(id) {
		if p := ix.anonByUser[int64(u)]; p != nil {
			p.remove(id)
		}
	}
	for _, c := range ix.col.colls.get(id) {
		if p := ix.byCollection[int64(c)]; p != nil {
			p.remove(id)
		}
	}
	ix.col.clear(id)
}

func (ix *Index) isCrossover(id uint32) bool {
	var fandoms []int64
	for _, t := range ix.col.tags.get(id, nil) {
		if n := ix.graph.Node(int64(t)); n != nil && n.Type == archive.TypeFandom {
			fandoms = append(fandoms, int64(t))
		}
	}
	return len(fandoms) > 1 && ix.graph.IsCrossover(fandoms)
}

// maxFilterSets bounds the cache of filter-rule expansions, and so does
// its byte budget: the larger of minFilterSetBytes and
// filterSetBytesPerWork per work (80 MB at 10M works), sizes taken when a
// set is cached (writes change them a little).
const (
	maxFilterSets         = 4096
	maxFilterSetUses      = 1 << 16
	minFilterSetBytes     = 32 << 20
	filterSetBytesPerWork = 8
)

// filterSet returns the works a filter on tag id matches. Callers hold at
// least the read lock; the cache is filled under cacheMu.
func (ix *Index) filterSet(id int64) *roaring.Bitmap {
	root := ix.graph.FilterTag(id)
	ix.cacheMu.Lock()
	b := ix.filterSets[root]
	if b != nil {
		ix.filterSetUses[root]++
	}
	ix.cacheMu.Unlock()
	if b != nil {
		return b
	}
	expand := ix.graph.Expand(root)
	if p := ix.direct[expand[0]]; len(expand) == 1 && p != nil && p.bm != nil {
		// Most tags have no synonyms or sub tags: their set is their
		// posting, shared rather than copied (no caller changes it).
		return p.bm
	}
	var parts []*roaring.Bitmap
	for _, t := range expand {
		if p := ix.direct[t]; p != nil {
			parts = append(parts, p.bitmap())
		}
	}
	b = roaring.FastOr(parts...)
	size := b.GetSizeInBytes()
	ix.cacheMu.Lock()
	defer ix.cacheMu.Unlock()
	if cached := ix.filterSets[root]; cached != nil {
		return cached
	}
	// A long-running node would otherwise keep a set for every tag ever
	// filtered on. The cache is bounded by count and by bytes; a set is
	// kept from its second use on (a tag filtered on once is rebuilt if
	// asked again), and room is made by dropping the sets used least, so
	// the popular expansions, the costly ones to rebuild, stay.
	if len(ix.filterSetUses) >= maxFilterSetUses {
		clear(ix.filterSetUses) // forget old popularity now and then
	}
	ix.filterSetUses[root]++
	uses := ix.filterSetUses[root]
	if uses < 2 && ix.filterSetCap == 0 { // tests with a tiny cap keep sets from the first use
		return b
	}
	limit := cmp.Or(ix.filterSetCap, maxFilterSets)
	budget := max(minFilterSetBytes, uint64(ix.n)*filterSetBytesPerWork)
	for len(ix.filterSets) > 0 && (len(ix.filterSets) >= limit || ix.filterSetBytes+size > budget) {
		var victim int64
		least := uint32(math.MaxUint32)
		for k := range ix.filterSets {
			if u := ix.filterSetUses[k]; u < least {
				victim, least = k, u
			}
		}
		if least > uses {
			return b // every kept set is used more: this one is not kept
		}
		ix.dropFilterSet(victim)
	}
	ix.filterSets[root] = b
	ix.filterSetSizes[root] = size
	ix.filterSetBytes += size
	return b
}

// dropFilterSet forgets a cached expansion. Callers hold cacheMu.
func (ix *Index) dropFilterSet(root int64) {
	delete(ix.filterSets, root)
	ix.filterSetBytes -= ix.filterSetSizes[root]
	delete(ix.filterSetSizes, root)
}
