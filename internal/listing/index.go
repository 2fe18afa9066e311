// Package listing is the in-memory index that answers "which works match"
// for every reader-facing listing: filter by the tag rule, visibility and
// mutes, sort, page and count facets. It is built from the store at start
// and updated by every write in the request that commits it.
package listing

import (
	"context"
	"fmt"
	"io"
	"math"
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

// Index is the listing index. It is safe for concurrent use.
type Index struct {
	mu         sync.RWMutex
	docs       map[uint32]*doc
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
	// filterSets caches the filter rule's expansion per filter tag; any
	// change to taggings or the graph clears it.
	filterSets map[int64]*roaring.Bitmap
	// cacheMu guards filterSets for readers that fill it under the read lock.
	cacheMu sync.Mutex
	version uint64
}

// New returns an empty index over a tag graph.
func New(g *tags.Graph) *Index {
	if g == nil {
		g = tags.NewGraph(nil)
	}
	return &Index{
		docs:       map[uint32]*doc{},
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
		filterSets: map[int64]*roaring.Bitmap{},
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
	n := 0
	err = src.IndexRows(ctx, func(r store.IndexRow) error {
		ix.put(r)
		n++
		if progress != nil && (n%50000 == 0 || n == total) {
			fmt.Fprintf(progress, "index: %d/%d works (%.0f%%) %.1fs\n", n, total, 100*float64(n)/math.Max(1, float64(total)), time.Since(start).Seconds())
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("build index: %w", err)
	}
	ix.all.RunOptimize()
	return ix, nil
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
	return len(ix.docs)
}

// Graph returns the current tag graph.
func (ix *Index) Graph() *tags.Graph {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.graph
}

// SetGraph replaces the tag graph after wrangling.
func (ix *Index) SetGraph(g *tags.Graph) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.graph = g
	ix.filterSets = map[int64]*roaring.Bitmap{}
	ix.crossover.Clear()
	for id, d := range ix.docs {
		if ix.isCrossover(d) {
			ix.crossover.Add(id)
		}
	}
	ix.version++
}

// Put adds or replaces a work.
func (ix *Index) Put(r store.IndexRow) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(uint32(r.ID))
	ix.put(r)
	ix.version++
}

// Remove drops a work.
func (ix *Index) Remove(id int64) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(uint32(id))
	ix.version++
}

// SetCounts updates the counters that sort (hits, kudos, comments, bookmarks).
func (ix *Index) SetCounts(id, hits, kudos, comments, bookmarks int64) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if d := ix.docs[uint32(id)]; d != nil {
		d.Hits, d.Kudos, d.Comments, d.Bookmarks = hits, kudos, comments, bookmarks
		ix.version++
	}
}

// AddHit counts one hit.
func (ix *Index) AddHit(id int64) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if d := ix.docs[uint32(id)]; d != nil {
		d.Hits++
		ix.version++
	}
}

func set(m map[int64]*roaring.Bitmap, k int64) *roaring.Bitmap {
	b := m[k]
	if b == nil {
		b = roaring.New()
		m[k] = b
	}
	return b
}

func (ix *Index) put(r store.IndexRow) {
	id := uint32(r.ID)
	d := &doc{IndexRow: r}
	ix.docs[id] = d
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
		set(ix.direct, t).Add(id)
	}
	for _, u := range r.CreatorUserIDs {
		set(ix.byUser, u).Add(id)
	}
	mark(ix.crossover, ix.isCrossover(d))
	if len(ix.filterSets) > 0 {
		ix.filterSets = map[int64]*roaring.Bitmap{}
	}
}

func (ix *Index) remove(id uint32) {
	d := ix.docs[id]
	if d == nil {
		return
	}
	delete(ix.docs, id)
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
	if len(ix.filterSets) > 0 {
		ix.filterSets = map[int64]*roaring.Bitmap{}
	}
}

func (ix *Index) isCrossover(d *doc) bool {
	var fandoms []int64
	for _, t := range d.TagIDs {
		if n := ix.graph.Node(t); n != nil && n.Type == archive.TypeFandom {
			fandoms = append(fandoms, t)
		}
	}
	return ix.graph.IsCrossover(fandoms)
}

// filterSet returns the works a filter on tag id matches. Callers hold at
// least the read lock; the cache is filled under a separate small lock.
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
	ix.filterSets[root] = b
	ix.cacheMu.Unlock()
	return b
}
