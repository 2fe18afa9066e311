package site_test

import (
	"context"
	"io"
	"testing"

	"quire/internal/demo"
	"quire/internal/listing"
	"quire/internal/site"
	"quire/internal/store/sqlite"
	"quire/internal/store/testdb"
)

// The demo goes through the same validation as posted works and lands in a
// real SQLite file; the index built from it has every visible work.
func TestFillDemo(t *testing.T) {
	ctx := context.Background()
	st, err := testdb.OpenAt(ctx, testdb.Location(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := site.FillDemo(ctx, st, demo.Options{Works: 300, Seed: 3, BodyWords: 40}, io.Discard); err != nil {
		t.Fatal(err)
	}
	n, _ := st.CountWorks(ctx)
	if n != 300 {
		t.Fatalf("stored %d works, want 300", n)
	}
	if err := site.FillDemo(ctx, st, demo.Options{Works: 10, Seed: 3}, io.Discard); err == nil {
		t.Fatal("demo content went into a non-empty archive")
	}
	ix, err := listing.Build(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(listing.Query{}, listing.Viewer{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total < 270 || res.Total >= 300 {
		t.Fatalf("a guest sees %d of 300 demo works; drafts and restricted works should be a few percent", res.Total)
	}
	// Word counts come from the stored bodies.
	w, err := st.Work(ctx, int64(res.IDs[0]))
	if err != nil {
		t.Fatal(err)
	}
	cs, _ := st.Chapters(ctx, w.ID, true)
	sum := 0
	for _, c := range cs {
		if !c.Draft {
			sum += c.Words
		}
	}
	if sum != w.Words || w.Words == 0 {
		t.Fatalf("work words %d, chapters sum %d", w.Words, sum)
	}
}

// BenchmarkFillDemo measures demo generation into SQLite (works per second:
// divide 2000 by the time per op).
func BenchmarkFillDemo(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		st, err := sqlite.Open(ctx, b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		if err := site.FillDemo(ctx, st, demo.Options{Works: 2000, Seed: 1, BodyWords: 50}, io.Discard); err != nil {
			b.Fatal(err)
		}
		st.Close()
	}
}
