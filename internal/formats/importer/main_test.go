package importer_test

import (
	"os"
	"testing"

	"quire/internal/store/testdb"
)

// The store tests run on SQLite, then on PostgreSQL when QUIRE_TEST_POSTGRES is set.
func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }
