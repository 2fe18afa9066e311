package site_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/demo"
	"quire/internal/listing"
	"quire/internal/site"
	"quire/internal/site/sitetest"
	"quire/internal/store/testdb"
)

// demoSite is a site over a demo archive of QUIRE_BENCH_WORKS works
// (5,000 by default), generated with seed and chapters of bodyWords words.
func demoSite(b *testing.B, seed int64, bodyWords int) *site.Site {
	n := 5000
	if s := os.Getenv("QUIRE_BENCH_WORKS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	ctx := context.Background()
	loc := testdb.Location(b)
	st, err := testdb.OpenAt(ctx, loc)
	if err != nil {
		b.Fatal(err)
	}
	if err := site.FillDemo(ctx, st, demo.Options{Works: n, Seed: seed, BodyWords: bodyWords}, nil); err != nil {
		b.Fatal(err)
	}
	st.Close()
	return sitetest.Open(b, sitetest.Options{Loc: loc}).Site
}

// benchReader fills a demo archive (QUIRE_BENCH_WORKS works, 5,000 by
// default) and a reader with 1,000 works read, 50 hidden and 20 saved
// searches with a daily digest (half with exclude_read, the first their
// /works default). start is a time after every demo work.
func benchReader(b *testing.B) (*site.Site, *archive.User, time.Time) {
	ctx := context.Background()
	s := demoSite(b, 3, 50)
	start := time.Date(2025, 6, 1, 0, 0, 30, 0, time.UTC)
	s.Now = func() time.Time { return start.Add(-24 * time.Hour) }
	u, err := s.Signup(ctx, site.SignupInput{Name: "benchreader", Email: "benchreader@example.test", Password: "correct horse", Confirmation: "correct horse"})
	if err != nil {
		b.Fatal(err)
	}
	all, err := s.List(ctx, u, listing.Query{PerPage: 100, Page: 1, Sort: "kudos"})
	if err != nil {
		b.Fatal(err)
	}
	var fandoms []string
	for _, f := range all.Facets[archive.TypeFandom] {
		fandoms = append(fandoms, f.Name)
	}
	var freeforms []string
	for _, f := range all.Facets[archive.TypeFreeform] {
		freeforms = append(freeforms, f.Name)
	}
	// 1,000 works read, 50 hidden.
	for page := 1; page <= 10; page++ {
		l, err := s.List(ctx, u, listing.Query{PerPage: 100, Page: page, Sort: "hits"})
		if err != nil {
			b.Fatal(err)
		}
		for i, w := range l.Works {
			s.RecordReading(ctx, u, w, 0)
			if page == 1 && i < 50 {
				if err := s.HideForReader(ctx, u, w.ID); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	if err := s.FlushReadings(ctx); err != nil {
		b.Fatal(err)
	}
	daily := archive.DigestDaily
	for i := range 20 {
		v := url.Values{"fandom": {fandoms[i%len(fandoms)]}}
		if i%3 == 1 {
			v.Set("exclude_freeform", freeforms[i%len(freeforms)])
		}
		if i%2 == 0 {
			v.Set("exclude_read", "true")
		}
		name := fmt.Sprintf("search %d", i)
		def := i == 0
		if _, err := s.SaveSearch(ctx, u, site.SavedSearchInput{Name: &name, Params: v, Digest: &daily, Default: &def}); err != nil {
			b.Fatal(err)
		}
	}
	return s, u, start
}

// BenchmarkDigestReader times one reader's daily digest pass — 20 saved
// searches with a daily digest (half with exclude_read), 1,000 works read
// and 50 hidden — each iteration one day of a demo archive's works:
//
//	QUIRE_BENCH_WORKS=20000 go test -run x -bench DigestReader -benchtime 30x ./internal/site/
func BenchmarkDigestReader(b *testing.B) {
	ctx := context.Background()
	s, _, start := benchReader(b)
	now := start
	s.Now = func() time.Time { return now }
	b.ResetTimer()
	var ds []time.Duration
	mailed := 0
	for i := 0; i < b.N; i++ {
		now = start.Add(time.Duration(i) * 24 * time.Hour)
		t0 := time.Now()
		rep, err := s.RunDigests(ctx, now)
		if err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(t0))
		mailed += rep.Mailed
	}
	b.StopTimer()
	slices.Sort(ds)
	b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(ds[len(ds)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(mailed)/float64(b.N), "mailed/pass")
}

// BenchmarkReaderListings times the works listing a page runs (filter,
// sort, first page and the sidebar's facets, through the site: the
// reader's sets read from the store) for a guest, for the reader of
// benchReader (1,000 read, 50 hidden, 20 saved searches) without their own
// filters, and with exclude_read, in one run so the three compare on a
// shared machine. The queries are the reader's 20 saved searches and the
// sorts of bare /works:
//
//	QUIRE_BENCH_WORKS=20000 go test -run x -bench ReaderListings -benchtime 20x ./internal/site/
func BenchmarkReaderListings(b *testing.B) {
	ctx := context.Background()
	s, u, _ := benchReader(b)
	saved, err := s.SavedSearches(ctx, u)
	if err != nil {
		b.Fatal(err)
	}
	var qs []listing.Query
	for _, ss := range saved {
		q, err := listing.ParseValues(ss.Values)
		if err != nil {
			b.Fatal(err)
		}
		q.ExcludeRead = false
		qs = append(qs, q)
	}
	for _, sort := range listing.Sorts {
		qs = append(qs, listing.Query{Sort: sort})
	}
	for _, mode := range []struct {
		name string
		who  *archive.User
		own  bool
	}{{"guest", nil, false}, {"reader", u, false}, {"reader-exclude-read", u, true}} {
		b.Run(mode.name, func(b *testing.B) {
			var ds []time.Duration
			for b.Loop() {
				for _, q := range qs {
					q.ExcludeRead = mode.own
					t0 := time.Now()
					if _, err := s.List(ctx, mode.who, q); err != nil {
						b.Fatal(err)
					}
					ds = append(ds, time.Since(t0))
				}
			}
			slices.Sort(ds)
			b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(ds[len(ds)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
