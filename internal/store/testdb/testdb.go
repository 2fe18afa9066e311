// Package testdb gives tests a fresh, empty store on the engine under test:
// SQLite in a temporary directory, or PostgreSQL (a schema of its own,
// dropped afterwards). A package whose TestMain calls Main runs all its
// tests on SQLite and then, when QUIRE_TEST_POSTGRES names a server
// (postgres://user@host:port/db), once more on PostgreSQL.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"

	"quire/internal/store/postgres"
	"quire/internal/store/sqlite"
	"quire/internal/store/sqlstore"
)

// engine is the engine the package's tests run on now.
var engine = "sqlite"

// Main runs the package's tests on SQLite, then on PostgreSQL when
// QUIRE_TEST_POSTGRES is set. Use it as os.Exit(testdb.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	if PostgresURL() == "" || code != 0 {
		return code
	}
	fmt.Println("--- the same tests again on PostgreSQL")
	engine = "postgres"
	return m.Run()
}

// PostgresURL is the server named by QUIRE_TEST_POSTGRES, or "".
func PostgresURL() string { return os.Getenv("QUIRE_TEST_POSTGRES") }

// Engine is "sqlite" or "postgres": what Open and Location give now.
func Engine() string { return engine }

// Open returns a fresh store, closed when the test ends.
func Open(t testing.TB) *sqlstore.Store {
	t.Helper()
	st, err := OpenAt(context.Background(), Location(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Location returns a fresh, empty place for an archive: a directory for
// SQLite (quire --data) or a postgres:// URL naming a new schema (quire
// --db), removed when the test ends.
func Location(t testing.TB) string {
	t.Helper()
	if engine == "sqlite" {
		return t.TempDir()
	}
	return Schema(t, PostgresURL())
}

// OpenAt opens the archive at a Location.
func OpenAt(ctx context.Context, loc string) (*sqlstore.Store, error) {
	if postgres.IsURL(loc) {
		return postgres.Open(ctx, loc)
	}
	return sqlite.Open(ctx, loc)
}

// Schema creates a new schema on the server at base and returns base with
// search_path set to it; the schema is dropped when the test ends.
func Schema(t testing.TB, base string) string {
	t.Helper()
	if base == "" {
		t.Skip("QUIRE_TEST_POSTGRES is not set")
	}
	var b [6]byte
	rand.Read(b[:])
	name := "quire_test_" + hex.EncodeToString(b[:])
	db, err := postgres.OpenDB(base)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE SCHEMA ` + name); err != nil {
		t.Fatalf("create schema on %s: %v", base, err)
	}
	t.Cleanup(func() {
		db, err := postgres.OpenDB(base)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec(`DROP SCHEMA ` + name + ` CASCADE`)
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return strings.TrimSpace(u.String())
}
