// Package testdb gives tests a fresh, empty store on the engine under test:
// SQLite in a temporary directory, and PostgreSQL (a schema of its own,
// dropped afterwards) when QUIRE_TEST_POSTGRES names a server and the
// package's TestMain runs through Main.
package testdb

import (
	"context"
	"testing"

	"quire/internal/store/sqlite"
	"quire/internal/store/sqlstore"
)

// Open returns a fresh store, closed when the test ends.
func Open(t testing.TB) *sqlstore.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
