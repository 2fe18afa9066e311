package site_test

import (
	"context"
	"os"
	"strconv"
	"testing"

	"quire/internal/demo"
	"quire/internal/site"
	"quire/internal/site/sitetest"
	"quire/internal/store/testdb"
)

// BenchmarkTagSearch is /tags/search on a demo archive, as a guest: every
// tag (no q: the whole A–Z), a common fragment, and a rare one.
//
//	QUIRE_BENCH_WORKS=20000 go test -run x -bench TagSearch ./internal/site/
func BenchmarkTagSearch(b *testing.B) {
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
	if err := site.FillDemo(ctx, st, demo.Options{Works: n, Seed: 5, BodyWords: 20}, nil); err != nil {
		b.Fatal(err)
	}
	st.Close()
	s := sitetest.Open(b, sitetest.Options{Loc: loc}).Site
	for _, q := range []string{"", "a", "zq"} {
		name := q
		if name == "" {
			name = "all"
		}
		b.Run(name, func(b *testing.B) {
			var total int
			for b.Loop() {
				p, err := s.SearchTags(ctx, nil, site.TagSearch{Q: q, Page: 2})
				if err != nil {
					b.Fatal(err)
				}
				total = p.Total
			}
			b.ReportMetric(float64(total), "tags")
		})
	}
}
