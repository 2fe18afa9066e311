package postgres_test

import (
	"context"
	"testing"

	"quire/internal/store"
	"quire/internal/store/postgres"
	"quire/internal/store/storetest"
	"quire/internal/store/testdb"
)

func TestStore(t *testing.T) {
	if testdb.PostgresURL() == "" {
		t.Skip("QUIRE_TEST_POSTGRES is not set")
	}
	storetest.Run(t, func(t *testing.T) store.Store {
		st, err := postgres.Open(context.Background(), testdb.Schema(t, testdb.PostgresURL()))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	})
}

func TestRebind(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`SELECT ?`, `SELECT $1`},
		{`a = ? AND b IN (?, ?)`, `a = $1 AND b IN ($2, $3)`},
		{`x = '?' AND y = ?`, `x = '?' AND y = $1`},
		{`x = 'it''s ?' AND y = ?`, `x = 'it''s ?' AND y = $1`},
		{`"we?ird" = ? -- why?` + "\n" + `AND z = ?`, `"we?ird" = $1 -- why?` + "\n" + `AND z = $2`},
		{`$$ a ? b $$ ?`, `$$ a ? b $$ $1`},
		{`no placeholders`, `no placeholders`},
	} {
		if got := postgres.Rebind(c.in); got != c.want {
			t.Errorf("Rebind(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
