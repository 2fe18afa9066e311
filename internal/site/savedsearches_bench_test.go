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

// BenchmarkDigestReader times one reader's daily digest pass — 20 saved
// searches with a daily digest (half with exclude_read), 1,000 works read
// and 50 hidden — each iteration one day of a demo archive's works:
//
//	QUIRE_BENCH_WORKS=20000 go test -run x -bench DigestReader -benchtime 30x ./internal/site/
func BenchmarkDigestReader(b *testing.B) {
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
	if err := site.FillDemo(ctx, st, demo.Options{Works: n, Seed: 3, BodyWords: 50}, nil); err != nil {
		b.Fatal(err)
	}
	st.Close()
	r := sitetest.Open(b, sitetest.Options{Loc: loc})
	s := r.Site
	start := time.Date(2025, 6, 1, 0, 0, 30, 0, time.UTC)
	now := start.Add(-24 * time.Hour)
	s.Now = func() time.Time { return now }
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
		if _, err := s.SaveSearch(ctx, u, site.SavedSearchInput{Name: &name, Params: v, Digest: &daily}); err != nil {
			b.Fatal(err)
		}
	}
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
