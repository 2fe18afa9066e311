package listing

// The bookmark listings on the synthetic archive of bench_test.go: three
// bookmarks a work on average (popular works get many: Zipf), 100,000
// bookmarkers of Zipf activity, a fifth private, a sixth recs, 0–3 of
// 2,000 bookmarker's tags each. The mix is shaped like readers' use:
// /bookmarks unfiltered, a tag's bookmarks (the first include of the works
// mix), a user's, a bookmarker's tag, rec only; both sorts; mostly page 1;
// a fifth logged in. Run with
//
//	QUIRE_BENCH_WORKS=200000 go test -run x -bench 'BookmarkMix' -benchtime 1x ./internal/listing/

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"quire/internal/store"
)

var benchBookmarks struct {
	once sync.Once
	bx   *Bookmarks
	n    int
	heap uint64
	dur  time.Duration
}

// bookmarkBenchSource makes the bookmarks on the fly, in id order.
type bookmarkBenchSource struct{ works, n int }

func (s bookmarkBenchSource) BookmarkRows(_ context.Context, fn func(store.BookmarkRow) error) error {
	r := rand.New(rand.NewPCG(5, 55))
	workZipf := rand.NewZipf(r, 1.1, 20, uint64(s.works-1))
	userZipf := rand.NewZipf(r, 1.05, 1, benchUsers-1)
	tagZipf := rand.NewZipf(r, 1.1, 1, 1999)
	at := int64(1_500_000_000)
	for id := 1; id <= s.n; id++ {
		at += int64(r.IntN(120))
		b := store.BookmarkRow{ID: int64(id), UserID: 1 + int64(userZipf.Uint64()), WorkID: 1 + int64(workZipf.Uint64()),
			Private: r.IntN(5) == 0, Rec: r.IntN(6) == 0, CreatedAt: at}
		for range r.IntN(4) {
			b.Tags = append(b.Tags, fmt.Sprintf("bookmark tag %d", tagZipf.Uint64()))
		}
		if err := fn(b); err != nil {
			return err
		}
	}
	return nil
}

func benchBookmarkIndex(b *testing.B) (*Index, *Bookmarks) {
	ix := benchIndex(b)
	benchBookmarks.once.Do(func() {
		before := heapInUse()
		t0 := time.Now()
		bx, err := BuildBookmarks(context.Background(), bookmarkBenchSource{works: ix.n, n: 3 * ix.n}, ix)
		if err != nil {
			panic(err)
		}
		benchBookmarks.dur = time.Since(t0)
		benchBookmarks.bx, benchBookmarks.n = bx, bx.Len()
		benchBookmarks.heap = heapInUse() - before
	})
	return ix, benchBookmarks.bx
}

type bookmarkMixQuery struct {
	q BookmarkQuery
	v Viewer
}

func bookmarkMix(b *testing.B) (*Bookmarks, []bookmarkMixQuery) {
	_, works := benchMix(b)
	_, bx := benchBookmarkIndex(b)
	r := rand.New(rand.NewPCG(11, 12))
	userZipf := rand.NewZipf(r, 1.05, 1, benchUsers-1)
	tagZipf := rand.NewZipf(r, 1.1, 1, 1999)
	var qs []bookmarkMixQuery
	for i := range mixQueries {
		var q BookmarkQuery
		switch x := r.Float64(); {
		case x < 0.3: // /bookmarks
		case x < 0.6: // /tags/{name}/bookmarks
			q.Work.Include = works[i].q.Include[:1]
		case x < 0.8: // a user's bookmarks
			q.UserID = 1 + int64(userZipf.Uint64())
		case x < 0.9:
			q.Tags = []string{fmt.Sprintf("bookmark tag %d", tagZipf.Uint64())}
		default:
			q.Rec = true
		}
		if r.Float64() < 0.2 {
			q.Work.Exclude = works[i].q.Exclude
		}
		q.Sort = BookmarkSorts[r.IntN(2)]
		if r.Float64() < 0.15 {
			q.Order = "asc"
		}
		switch x := r.Float64(); {
		case x < 0.85:
			q.Page = 1
		case x < 0.95:
			q.Page = 2 + r.IntN(4)
		default:
			q.Page = 20
		}
		var v Viewer
		if r.Float64() < 0.2 {
			v.UserID = 1 + int64(userZipf.Uint64())
		}
		qs = append(qs, bookmarkMixQuery{q, v})
	}
	return bx, qs
}

func runBookmarkMix(b *testing.B, facets bool) {
	bx, qs := bookmarkMix(b)
	for _, m := range qs { // warm the works index's filter sets
		q := m.q
		q.SkipFacets = true
		if _, err := bx.Search(q, m.v); err != nil {
			b.Fatal(err)
		}
	}
	var ds []time.Duration
	var results []int
	b.ResetTimer()
	for b.Loop() {
		for _, m := range qs {
			q := m.q
			q.SkipFacets = !facets
			t0 := time.Now()
			res, err := bx.Search(q, m.v)
			ds = append(ds, time.Since(t0))
			if err != nil {
				b.Fatal(err)
			}
			results = append(results, res.Total)
		}
	}
	b.StopTimer()
	slices.Sort(ds)
	slices.Sort(results)
	pct := func(p float64) float64 {
		i := int(p*float64(len(ds))+0.999999) - 1
		return float64(ds[max(0, min(i, len(ds)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(pct(1), "max-ms")
	b.ReportMetric(float64(benchBookmarks.n), "bookmarks")
	b.ReportMetric(float64(results[len(results)/2]), "median-total")
	b.ReportMetric(float64(benchBookmarks.heap)/float64(benchBookmarks.n), "index-B/bookmark")
	b.ReportMetric(float64(benchBookmarks.dur.Milliseconds()), "build-ms")
}

// BenchmarkBookmarkMix: filter, sort and page a bookmark listing, p50 and p99.
func BenchmarkBookmarkMix(b *testing.B) { runBookmarkMix(b, false) }

// BenchmarkBookmarkFacetsMix: the same with the sidebar's facets (what a page costs).
func BenchmarkBookmarkFacetsMix(b *testing.B) { runBookmarkMix(b, true) }
