package sqlite_test

import (
	"context"
	"fmt"
	"testing"

	"quire/internal/store/sqlite"
)

// Statements are kept per connection and reused; the answers are those of
// freshly prepared statements, also when the same query runs again while
// its rows are still being read, when more texts are run than the cache
// holds, and after a statement failed.
func TestStatementCache(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	db := st.DB()
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (n INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)`); err != nil {
		t.Fatal(err)
	}
	const insert = `INSERT INTO t (n, v) VALUES (?, ?)`
	for i := 1; i <= 50; i++ {
		if _, err := db.ExecContext(ctx, insert, i, fmt.Sprint("v", i)); err != nil {
			t.Fatal(err)
		}
	}
	// A unique violation fails the cached INSERT; the next one works.
	if _, err := db.ExecContext(ctx, insert, 51, "v1"); err == nil {
		t.Fatal("duplicate v1 accepted")
	}
	if _, err := db.ExecContext(ctx, insert, 51, "v51"); err != nil {
		t.Fatalf("insert after a failed one: %v", err)
	}
	// The same query nested in its own rows, on one connection (a transaction).
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	const q = `SELECT n FROM t WHERE n <= ? ORDER BY n`
	outer, err := tx.QueryContext(ctx, q, 5)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for outer.Next() {
		var n int
		if err := outer.Scan(&n); err != nil {
			t.Fatal(err)
		}
		inner, err := tx.QueryContext(ctx, q, n)
		if err != nil {
			t.Fatal(err)
		}
		for inner.Next() {
			var m int
			inner.Scan(&m)
			sum += m
		}
		inner.Close()
	}
	if err := outer.Err(); err != nil {
		t.Fatal(err)
	}
	outer.Close()
	tx.Rollback()
	if want := 1 + 3 + 6 + 10 + 15; sum != want {
		t.Errorf("nested sums %d, want %d", sum, want)
	}
	// More distinct texts than the cache holds, each asked twice.
	for round := range 2 {
		for i := 1; i <= 300; i++ {
			var v string
			query := fmt.Sprintf(`SELECT v FROM t WHERE n = %d`, i%51+1)
			if i > 51 {
				query += fmt.Sprintf(` AND %d = %d`, i, i)
			}
			if err := db.QueryRowContext(ctx, query).Scan(&v); err != nil || v != fmt.Sprint("v", i%51+1) {
				t.Fatalf("round %d, query %d: %q, %v", round, i, v, err)
			}
		}
	}
}
