package listing

// Latency percentiles over a reader-shaped query mix on the synthetic
// archive of bench_test.go, shaped like `quire bench filter`'s queries: a
// first include by popularity, up to two refining it (tags of a work it
// matches), 0–6 excludes, sometimes ratings, warnings, completion and a word
// range; every sort and order; mostly page 1, some pages 2–5, 10 and 50;
// mostly guests. Run with
//
//	go test -run x -bench 'Mix' -benchtime 1x -count 3 ./internal/listing/
//	QUIRE_BENCH_WORKS=10000000 go test -run x -bench 'Mix' -benchtime 1x -timeout 60m ./internal/listing/

import (
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/RoaringBitmap/roaring/v2"

	"quire/internal/archive"
	"quire/internal/tags"
)

const mixQueries = 2000

type mixQuery struct {
	q Query
	v Viewer
}

var mix struct {
	qs []mixQuery
}

// mixQueries makes the query mix once, from the index itself.
func benchMix(b *testing.B) (*Index, []mixQuery) {
	ix := benchIndex(b)
	if mix.qs != nil {
		return ix, mix.qs
	}
	r := rand.New(rand.NewPCG(99, 0x5eed_f11e))
	free := map[archive.TagType]bool{}
	for _, t := range archive.FreeTagTypes {
		free[t] = true
	}
	// Weigh filterable free tags by how many works carry them or their
	// expansion (direct posting sizes: no filter sets are built).
	var pool []int64
	var cum []int
	total := 0
	ix.graph.Each(func(n *tags.Node) {
		if !n.Filterable() || !free[n.Type] {
			return
		}
		w := 0
		for _, t := range ix.graph.Expand(n.ID) {
			if p := ix.direct[t]; p != nil {
				w += int(p.bitmapLen())
			}
		}
		if w == 0 {
			return
		}
		total += w
		pool = append(pool, n.ID)
		cum = append(cum, total)
	})
	pickTag := func() int64 { return pool[sort.SearchInts(cum, r.IntN(total)+1)] }
	ref := func(id int64) TagRef {
		n := ix.graph.Node(id)
		return TagRef{Type: n.Type, Name: n.Name}
	}
	fixed := func(t archive.TagType) []string { return archive.FixedVocabulary(t) }
	ratings, warnings := fixed(archive.TypeRating), fixed(archive.TypeWarning)
	words := slices.Clone(ix.col.words[1:])
	slices.Sort(words)
	quantile := func(p int) int { return int(words[min(len(words)-1, p*len(words)/100)]) }
	ptr := func(v int) *int { return &v }

	qs := make([]mixQuery, 0, mixQueries)
	for range mixQueries {
		var q Query
		used := map[int64]bool{}
		first := pickTag()
		q.Include = append(q.Include, ref(first))
		used[first] = true
		for want := r.IntN(3); want > 0; want-- {
			// A work carrying one of first's expansion: a reader narrowing.
			exp := ix.graph.Expand(first)
			var carriers []uint32
			for _, t := range exp {
				if p := ix.direct[t]; p != nil {
					bm := p.bitmap()
					if c := bm.GetCardinality(); c > 0 {
						id, _ := bm.Select(uint32(r.Uint64N(c)))
						carriers = append(carriers, id)
					}
				}
			}
			if len(carriers) == 0 {
				break
			}
			work := carriers[r.IntN(len(carriers))]
			var cands []int64
			for _, t := range ix.col.tags.get(work, nil) {
				id := ix.graph.FilterTag(int64(t))
				n := ix.graph.Node(id)
				if n != nil && n.Filterable() && free[n.Type] && !used[id] && !slices.Contains(cands, id) {
					cands = append(cands, id)
				}
			}
			if len(cands) == 0 {
				break
			}
			t := cands[r.IntN(len(cands))]
			q.Include = append(q.Include, ref(t))
			used[t] = true
		}
		if r.Float64() < 0.6 {
			for n, tries := 1+r.IntN(6), 0; n > 0 && tries < 30; tries++ {
				if t := pickTag(); !used[t] {
					used[t] = true
					q.Exclude = append(q.Exclude, ref(t))
					n--
				}
			}
		}
		if r.Float64() < 0.3 {
			perm := r.Perm(len(ratings))
			for _, i := range perm[:1+r.IntN(2)] {
				q.Ratings = append(q.Ratings, ratings[i])
			}
		}
		switch x := r.Float64(); {
		case x < 0.1:
			q.Warnings = append(q.Warnings, warnings[r.IntN(len(warnings))])
		case x < 0.25:
			perm := r.Perm(len(warnings))
			for _, i := range perm[:1+r.IntN(2)] {
				q.ExcludeWarnings = append(q.ExcludeWarnings, warnings[i])
			}
		}
		switch x := r.Float64(); {
		case x < 0.15:
			q.Complete = new(bool)
			*q.Complete = true
		case x < 0.25:
			q.Complete = new(bool)
		}
		if r.Float64() < 0.2 {
			lo := r.IntN(10) * 10
			hi := lo + 10 + r.IntN(10-lo/10)*10
			switch x := r.Float64(); {
			case x < 0.4:
				q.WordsFrom, q.WordsTo = ptr(quantile(lo)), ptr(quantile(hi))
			case x < 0.7:
				q.WordsFrom = ptr(quantile(lo))
			default:
				q.WordsTo = ptr(quantile(hi))
			}
		}
		q.Sort = orderKeys[r.IntN(len(orderKeys))]
		q.Order = []string{"asc", "desc"}[r.IntN(2)]
		switch x := r.Float64(); {
		case x < 0.80:
			q.Page = 1
		case x < 0.90:
			q.Page = 2 + r.IntN(4)
		case x < 0.95:
			q.Page = 10
		default:
			q.Page = 50
		}
		var v Viewer
		if r.Float64() < 0.2 {
			v.UserID = 1
		}
		qs = append(qs, mixQuery{q, v})
	}
	mix.qs = qs
	return ix, qs
}

// runMix times every query of the mix once per iteration and reports the
// percentiles over all of them.
func runMix(b *testing.B, facets bool) { runMixAs(b, facets, false) }

// readerMix turns every query of the mix into one by a logged-in reader who
// hid 50 works and leaves out the 1,000 they have read (exclude_read).
func readerMix(ix *Index, qs []mixQuery) []mixQuery {
	r := rand.New(rand.NewPCG(7, 1000))
	pick := func(k int) *roaring.Bitmap {
		b := roaring.New()
		for b.GetCardinality() < uint64(k) {
			b.Add(uint32(1 + r.IntN(ix.n)))
		}
		return b
	}
	hidden, read := pick(50), pick(1000)
	out := make([]mixQuery, len(qs))
	for i, m := range qs {
		m.v.UserID = 1
		m.v.Hidden = hidden
		m.q.Without = append(slices.Clone(m.q.Without), read)
		out[i] = m
	}
	return out
}

func runMixAs(b *testing.B, facets, reader bool) {
	ix, qs := benchMix(b)
	if reader {
		qs = readerMix(ix, qs)
	}
	for _, m := range qs { // warm the filter-set cache, as a running server has
		q := m.q
		q.SkipFacets = true
		if _, err := ix.Search(q, m.v); err != nil {
			b.Fatal(err)
		}
		if facets { // and the facet bases
			if _, err := ix.Facets(q, m.v); err != nil {
				b.Fatal(err)
			}
		}
	}
	builds := ix.baseBuilds.Load()
	var ds []time.Duration
	var slow []mixQuery
	var slowD []time.Duration
	b.ResetTimer()
	for b.Loop() {
		for _, m := range qs {
			q := m.q
			q.SkipFacets = true
			t0 := time.Now()
			var err error
			if facets {
				_, err = ix.Facets(q, m.v)
			} else {
				_, err = ix.Search(q, m.v)
			}
			d := time.Since(t0)
			if err != nil {
				b.Fatal(err)
			}
			ds = append(ds, d)
			if d > 4*time.Millisecond && !facets || d > 60*time.Millisecond {
				slow = append(slow, m)
				slowD = append(slowD, d)
			}
		}
	}
	b.StopTimer()
	slices.Sort(ds)
	pct := func(p float64) float64 {
		i := int(p*float64(len(ds))+0.999999) - 1
		return float64(ds[max(0, min(i, len(ds)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(pct(1), "max-ms")
	if facets {
		// Bases made while timed: a working set of popular tags larger than
		// the bases kept would show here.
		b.ReportMetric(float64(ix.baseBuilds.Load()-builds), "base-builds")
	}
	// The whole heap once the mix has filled the filter-set cache, as a
	// running server's would be.
	b.ReportMetric(float64(heapInUse())/float64(benchWorks), "heap-B/work")
	if testing.Verbose() {
		for i, m := range slow {
			res, _ := ix.Search(m.q, m.v)
			b.Logf("slow: %v total %d: %s", slowD[i], res.Total, describeQuery(m.q))
		}
	}
}

// BenchmarkFilterMix: filter + sort + page (no facets), p50 and p99.
func BenchmarkFilterMix(b *testing.B) { runMix(b, false) }

// BenchmarkFacetsMix: the same queries' facets alone, p50 and p99.
func BenchmarkFacetsMix(b *testing.B) { runMix(b, true) }

// BenchmarkReaderFilterMix and BenchmarkReaderFacetsMix: the same mix by a
// logged-in reader with 50 hidden works and exclude_read over 1,000 read
// (their facets are never cached).
func BenchmarkReaderFilterMix(b *testing.B) { runMixAs(b, false, true) }

func BenchmarkReaderFacetsMix(b *testing.B) { runMixAs(b, true, true) }
