package listing

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"quire/internal/store"
)

// rowSource serves fixed rows, failing after failAfter rows when set.
type rowSource struct {
	rows      []store.IndexRow
	failAfter int
}

func (s *rowSource) AllTags(context.Context) ([]store.TagRow, error) { return nil, nil }
func (s *rowSource) CountWorks(context.Context) (int, error)         { return len(s.rows), nil }
func (s *rowSource) IndexRows(ctx context.Context, fn func(store.IndexRow) error) error {
	for i, r := range s.rows {
		if s.failAfter > 0 && i == s.failAfter {
			return errors.New("disk on fire")
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

func sourceRows(n int) []store.IndexRow {
	rows := make([]store.IndexRow, n)
	for i := range rows {
		rows[i] = store.IndexRow{ID: int64(i + 1), Language: "en", Words: 100 * (i % 50), UpdatedAt: int64(1_600_000_000 + i), Kudos: int64(i % 7)}
	}
	return rows
}

// Build reads the store on one goroutine and indexes on another: every row
// arrives, and a bad row or a failing store ends it with the reason and
// without leaving the reader blocked.
func TestBuild(t *testing.T) {
	ctx := context.Background()
	var progress bytes.Buffer
	ix, err := Build(ctx, &rowSource{rows: sourceRows(5000)}, &progress)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(Query{Sort: "kudos", PerPage: 20, Page: 1}, Viewer{})
	if err != nil || res.Total != 5000 || len(res.IDs) != 20 {
		t.Fatalf("built index: total %d, %d ids, %v", res.Total, len(res.IDs), err)
	}
	if !strings.Contains(progress.String(), "index: 5000/5000 works (100%)") {
		t.Errorf("progress: %q", progress.String())
	}

	bad := sourceRows(5000)
	bad[10].ID = 0
	if _, err := Build(ctx, &rowSource{rows: bad}, nil); err == nil || !strings.Contains(err.Error(), "work id 0") {
		t.Errorf("a bad row: %v", err)
	}
	if _, err := Build(ctx, &rowSource{rows: sourceRows(5000), failAfter: 3000}, nil); err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("a failing store: %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Build(cancelled, &rowSource{rows: sourceRows(5000)}, nil); err == nil {
		t.Error("a cancelled build succeeded")
	}
}
