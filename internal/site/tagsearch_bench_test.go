package site_test

import (
	"context"
	"testing"

	"quire/internal/site"
)

// BenchmarkTagSearch is /tags/search on a demo archive, as a guest: every
// tag (no q: the whole A–Z), a common fragment, and a rare one.
//
//	QUIRE_BENCH_WORKS=20000 go test -run x -bench TagSearch ./internal/site/
func BenchmarkTagSearch(b *testing.B) {
	ctx := context.Background()
	s := demoSite(b, 5, 20)
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
