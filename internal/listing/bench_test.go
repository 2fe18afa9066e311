package listing

// Benchmarks on a synthetic archive of a million works (no store): ~50k tags
// with Zipf popularity, ~17 tags per work. Run with
//
//	go test -run x -bench . -benchtime 20x ./internal/listing/
//
// The index is built once (sync.Once) on first use; plain `go test` never
// builds it.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

// benchWorks is the synthetic archive's size: 1M by default, and
// QUIRE_BENCH_WORKS=10000000 for the 10M figures.
var benchWorks = func() int {
	if n, err := strconv.Atoi(os.Getenv("QUIRE_BENCH_WORKS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}()

const (
	benchUsers = 100_000
)

var benchTypeSizes = []struct {
	t archive.TagType
	n int
}{
	{archive.TypeFandom, 5_000},
	{archive.TypeRelationship, 15_000},
	{archive.TypeCharacter, 15_000},
	{archive.TypeFreeform, 15_000},
}

var bench struct {
	once       sync.Once
	ix         *Index
	heap       uint64 // bytes in use by the index after building
	buildTime  time.Duration
	tagsPerDoc float64
	nTags      int
}

// benchSource generates the archive on the fly: nothing but the index stays in memory.
type benchSource struct {
	tags   []store.TagRow
	byType map[archive.TagType][]int64 // ids in popularity order
	seed   uint64
	nTags  int64
}

func (s *benchSource) AllTags(context.Context) ([]store.TagRow, error) { return s.tags, nil }
func (s *benchSource) CountWorks(context.Context) (int, error)         { return benchWorks, nil }

func newBenchSource(seed uint64) *benchSource {
	r := rand.New(rand.NewPCG(seed, 1))
	s := &benchSource{byType: map[archive.TagType][]int64{}, seed: seed}
	id := int64(0)
	add := func(t archive.TagType, name string, canonical bool, syn int64, meta []int64) int64 {
		id++
		s.tags = append(s.tags, store.TagRow{Tag: archive.Tag{ID: id, Type: t, Name: name, Canonical: canonical, SynonymOf: syn}, Meta: meta})
		return id
	}
	for _, t := range []archive.TagType{archive.TypeRating, archive.TypeWarning, archive.TypeCategory} {
		for _, name := range archive.FixedVocabulary(t) {
			s.byType[t] = append(s.byType[t], add(t, name, true, 0, nil))
		}
	}
	for _, ts := range benchTypeSizes {
		var canon []int64
		for i := range ts.n {
			name := fmt.Sprintf("%s %d", ts.t, i)
			var tid int64
			switch x := r.IntN(10); {
			case i < 100 || x < 7: // canonical; some have a meta tag among earlier ones
				var meta []int64
				if len(canon) > 10 && r.IntN(8) == 0 {
					meta = []int64{canon[r.IntN(len(canon))]}
				}
				tid = add(ts.t, name, true, 0, meta)
				canon = append(canon, tid)
			case x < 9: // synonym of a canonical tag
				tid = add(ts.t, name, false, canon[r.IntN(len(canon))], nil)
			default: // unwrangled
				tid = add(ts.t, name, false, 0, nil)
			}
			s.byType[ts.t] = append(s.byType[ts.t], tid)
		}
	}
	s.nTags = id
	return s
}

func (s *benchSource) IndexRows(ctx context.Context, fn func(store.IndexRow) error) error {
	r := rand.New(rand.NewPCG(s.seed, 2))
	zipf := map[archive.TagType]*rand.Zipf{}
	for _, ts := range benchTypeSizes {
		zipf[ts.t] = rand.NewZipf(r, 1.07, 2, uint64(ts.n-1))
	}
	pickZ := func(out []int64, t archive.TagType, n int) []int64 {
		ids := s.byType[t]
		for range n {
			out = append(out, ids[zipf[t].Uint64()])
		}
		return out
	}
	pick := func(out []int64, t archive.TagType, n int) []int64 {
		ids := s.byType[t]
		for range n {
			out = append(out, ids[r.IntN(len(ids))])
		}
		return out
	}
	ratingWeights := []int{5, 30, 35, 15, 15} // Not Rated, General, Teen, Mature, Explicit
	const start = 1_262_304_000               // 2010-01-01
	for i := range benchWorks {
		tagIDs := make([]int64, 0, 20)
		x, rating := r.IntN(100), 0
		for x >= ratingWeights[rating] {
			x -= ratingWeights[rating]
			rating++
		}
		tagIDs = append(tagIDs, s.byType[archive.TypeRating][rating])
		tagIDs = pick(tagIDs, archive.TypeWarning, 1+r.IntN(2))
		tagIDs = pick(tagIDs, archive.TypeCategory, 1)
		tagIDs = pickZ(tagIDs, archive.TypeFandom, 1+r.IntN(10)/8)
		tagIDs = pickZ(tagIDs, archive.TypeRelationship, 1+r.IntN(5))
		tagIDs = pickZ(tagIDs, archive.TypeCharacter, 2+r.IntN(6))
		tagIDs = pickZ(tagIDs, archive.TypeFreeform, 2+r.IntN(6))
		posted := start + r.Int64N(15*365*86400)
		chapters := 1 + r.IntN(20)
		expected := 0
		if r.IntN(3) > 0 {
			expected = chapters + r.IntN(3)
		}
		kudos := int64(r.ExpFloat64() * 200)
		row := store.IndexRow{
			ID:               int64(i + 1),
			TagIDs:           tagIDs,
			CreatorUserIDs:   []int64{1 + r.Int64N(benchUsers)},
			Language:         []string{"en", "en", "en", "en", "en", "en", "en", "en", "es", "zh"}[r.IntN(10)],
			Words:            int(r.ExpFloat64() * 8000),
			ChaptersPosted:   chapters,
			ChaptersExpected: expected,
			Draft:            r.IntN(50) == 0,
			Hidden:           r.IntN(200) == 0,
			Restricted:       r.IntN(10) == 0,
			PostedAt:         posted,
			UpdatedAt:        posted + r.Int64N(365*86400),
			Hits:             kudos*10 + r.Int64N(100),
			Kudos:            kudos,
			Comments:         kudos / 10,
			Bookmarks:        kudos / 8,
			TitleSort:        fmt.Sprintf("title %d", r.IntN(500_000)),
			CreatorSort:      fmt.Sprintf("user%d", r.IntN(benchUsers)),
			Collections:      benchCollections(int64(i + 1)),
		}
		bench.tagsPerDoc += float64(len(tagIDs))
		if err := fn(row); err != nil {
			return err
		}
	}
	bench.tagsPerDoc /= float64(benchWorks)
	return nil
}

// benchCollections puts one work in ten in a big fest (collection 1) and
// one in seven in one of fifty small ones, without drawing from the
// generator (so the other fields are as they were).
func benchCollections(id int64) []int64 {
	var out []int64
	if id%10 == 0 {
		out = append(out, 1)
	}
	if id%7 == 0 {
		out = append(out, 2+id%50)
	}
	return out
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

func benchIndex(b *testing.B) *Index {
	b.Helper()
	bench.once.Do(func() {
		src := newBenchSource(42)
		bench.nTags = len(src.tags)
		before := heapInUse()
		t0 := time.Now()
		ix, err := Build(context.Background(), src, nil)
		if err != nil {
			panic(err)
		}
		bench.buildTime = time.Since(t0)
		src = nil
		bench.ix = ix
		// The tag rows stay referenced by the graph, so they count as the index's.
		bench.heap = heapInUse() - before
	})
	if bench.ix == nil {
		b.Fatal("the benchmark index failed to build")
	}
	return bench.ix
}

func benchSearch(b *testing.B, q Query, v Viewer) {
	ix := benchIndex(b)
	res, err := ix.Search(q, v) // warm the filter-set cache, check the query
	if err != nil {
		b.Fatal(err)
	}
	if len(res.IDs) == 0 {
		b.Fatalf("query matched nothing on this page (total %d)", res.Total)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := ix.Search(q, v); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(res.Total), "results")
}

var member = Viewer{UserID: 7}

// One popular tag, sorted by kudos, first page.
func BenchmarkSearchOneTagByKudos(b *testing.B) {
	benchSearch(b, Query{Include: []TagRef{{Type: archive.TypeFandom, Name: "fandom 3"}}, Sort: "kudos"}, member)
}

// A big collection's listing (a tenth of the archive), by kudos, with
// facets: /collections/{name}/works. Compare BenchmarkSearchOneTagByKudos.
func BenchmarkSearchCollectionByKudos(b *testing.B) {
	benchSearch(b, Query{Collections: []int64{1}, Sort: "kudos"}, member)
}

// A collection with its sub-collections (a parent and three children),
// filtered by a tag.
func BenchmarkSearchCollectionTreeAndTag(b *testing.B) {
	benchSearch(b, Query{Collections: []int64{1, 2, 3, 4}, Include: []TagRef{{Type: archive.TypeFandom, Name: "fandom 3"}}}, member)
}

// Two tags included, three excluded, one rating.
func BenchmarkSearchInclude2Exclude3Rating(b *testing.B) {
	benchSearch(b, Query{
		Include: []TagRef{{Type: archive.TypeFandom, Name: "fandom 0"}, {Type: archive.TypeFreeform, Name: "freeform 1"}},
		Exclude: []TagRef{{Name: "freeform 0"}, {Name: "character 0"}, {Name: "relationship 2"}},
		Ratings: []string{archive.RatingTeen},
	}, member)
}

// Page 500 of a large result (a popular tag, a guest, default sort).
func BenchmarkSearchPage500(b *testing.B) {
	benchSearch(b, Query{Include: []TagRef{{Name: "freeform 0"}}, Page: 500}, Viewer{})
}

// The whole archive, first page: /works with no filter (facets over every work).
func BenchmarkSearchEverything(b *testing.B) {
	benchSearch(b, Query{}, member)
}

// The heap the index holds after building a million works.
func BenchmarkIndexHeap(b *testing.B) {
	ix := benchIndex(b)
	for b.Loop() {
		_ = ix.Len()
	}
	b.ReportMetric(float64(bench.heap), "heap-bytes")
	b.ReportMetric(float64(bench.heap)/float64(benchWorks), "bytes/work")
	b.ReportMetric(bench.buildTime.Seconds(), "build-s")
	b.ReportMetric(bench.tagsPerDoc, "tags/work")
	b.ReportMetric(float64(bench.nTags), "tags")
}

// A hit on a work: its counters move in the orders that sort by them.
func BenchmarkAddHit(b *testing.B) {
	ix := benchIndex(b)
	r := rand.New(rand.NewPCG(5, 5))
	b.ReportAllocs()
	for b.Loop() {
		ix.AddHits(1+r.Int64N(int64(benchWorks)), 1)
	}
}

// Kudos and comments change (a new kudos or comment).
func BenchmarkSetCounts(b *testing.B) {
	ix := benchIndex(b)
	r := rand.New(rand.NewPCG(6, 6))
	b.ReportAllocs()
	for b.Loop() {
		id := 1 + r.Int64N(int64(benchWorks))
		ix.SetCounts(id, int64(ix.col.hits[id])+1, int64(ix.col.kudos[id])+1, int64(ix.col.comments[id])+1, int64(ix.col.bookmarks[id]))
	}
}
