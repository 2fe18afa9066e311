package postgres_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
	"quire/internal/store/postgres"
	"quire/internal/store/testdb"
)

func openPG(t *testing.T) (*postgres.Store, string) {
	t.Helper()
	if testdb.PostgresURL() == "" {
		t.Skip("QUIRE_TEST_POSTGRES is not set")
	}
	dsn := testdb.Schema(t, testdb.PostgresURL())
	st, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, dsn
}

func kinds(cs []store.Change) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Kind)
	}
	return out
}

// A change whose id was taken first but whose transaction commits last is
// still read, once, after it commits: the feed follows transactions, not
// the order of ids.
func TestFeedReadsLateCommitsOnce(t *testing.T) {
	ctx := context.Background()
	st, dsn := openPG(t)
	feed := postgres.NewFeed(st, dsn, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := feed.Mark(ctx); err != nil {
		t.Fatal(err)
	}
	db := st.DB()
	slow, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Rollback()
	if _, err := slow.ExecContext(ctx, `INSERT INTO changes (kind, ref) VALUES ('work', 1)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO changes (kind, ref) VALUES ('work', 2)`); err != nil {
		t.Fatal(err)
	}
	got, err := feed.Poll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Ref != 2 {
		t.Fatalf("first poll = %+v, want only the committed change to work 2", got)
	}
	if err := slow.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO changes (kind, ref) VALUES ('work', 3)`); err != nil {
		t.Fatal(err)
	}
	got, err = feed.Poll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Ref != 1 || got[1].Ref != 3 || got[0].ID > got[1].ID {
		t.Fatalf("second poll = %+v, want the late change to work 1 and then work 3", got)
	}
	got, err = feed.Poll(ctx)
	if err != nil || len(got) != 0 {
		t.Fatalf("third poll = %+v, %v; want nothing new", got, err)
	}
}

// The triggers record what the nodes' indexes depend on: a posted work, a
// counter-only update, wrangling and mutes.
func TestFeedTriggers(t *testing.T) {
	ctx := context.Background()
	st, dsn := openPG(t)
	feed := postgres.NewFeed(st, dsn, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := feed.Mark(ctx); err != nil {
		t.Fatal(err)
	}
	tag, err := st.EnsureTag(ctx, archive.TypeFreeform, "Tide Tables")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := feed.Poll(ctx)
	if len(got) != 1 || got[0].Kind != "graph" {
		t.Fatalf("after a new tag: %v, want [graph]", kinds(got))
	}
	if _, err := st.DB().ExecContext(ctx, `INSERT INTO works (title, posted_at, updated_at, edited_at, created_at) VALUES ('T', 1, 1, 1, 1)`); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().ExecContext(ctx, `UPDATE works SET hits = hits + 1`); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().ExecContext(ctx, `UPDATE works SET title = 'U'`); err != nil {
		t.Fatal(err)
	}
	got, _ = feed.Poll(ctx)
	if k := kinds(got); len(k) != 3 || k[0] != "work" || k[1] != "counts" || k[2] != "work" {
		t.Fatalf("after insert, hit, retitle: %v, want [work counts work]", k)
	}
	u := &archive.User{Name: "muter", Email: "m@example.test"}
	if err := st.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := st.SetMutedTags(ctx, u.ID, []int64{tag.ID}); err != nil {
		t.Fatal(err)
	}
	got, _ = feed.Poll(ctx)
	found := false
	for _, c := range got {
		found = found || (c.Kind == "mutes" && c.Ref == u.ID)
	}
	if !found {
		t.Fatalf("after muting: %+v, want a mutes change for user %d", got, u.ID)
	}
}

// A work whose text would make a tsvector over PostgreSQL's 1 MB limit is
// still stored, and its start is still searchable.
func TestHugeFullTextFits(t *testing.T) {
	ctx := context.Background()
	st, _ := openPG(t)
	var b strings.Builder
	b.WriteString("lighthouse ")
	for i := range 400_000 {
		fmt.Fprintf(&b, "w%x ", i*7919)
	}
	if _, err := st.DB().ExecContext(ctx, `INSERT INTO works_fts (rowid, title, body) VALUES (1, 'Huge', ?)`, b.String()); err != nil {
		t.Fatalf("a huge body: %v", err)
	}
	ids, err := st.SearchText(ctx, store.TextQuery{Terms: []string{"lighthouse"}})
	if err != nil || len(ids) != 1 || ids[0] != 1 {
		t.Fatalf("search the huge body's start: %v %v", ids, err)
	}
}

// Prune drops rows older than the retention and keeps the rest.
func TestFeedPrune(t *testing.T) {
	ctx := context.Background()
	st, dsn := openPG(t)
	feed := postgres.NewFeed(st, dsn, slog.New(slog.NewTextHandler(io.Discard, nil)))
	db := st.DB()
	if _, err := db.ExecContext(ctx, `INSERT INTO changes (kind, ref, at) VALUES ('work', 1, now() - interval '8 days'), ('work', 2, now())`); err != nil {
		t.Fatal(err)
	}
	if err := feed.Prune(ctx, 7*24*time.Hour); err != nil {
		t.Fatal(err)
	}
	var refs []int64
	rows, err := db.QueryContext(ctx, `SELECT ref FROM changes ORDER BY ref`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var r int64
		rows.Scan(&r)
		refs = append(refs, r)
	}
	if len(refs) != 1 || refs[0] != 2 {
		t.Fatalf("after pruning 7 days: refs %v, want [2]", refs)
	}
}
