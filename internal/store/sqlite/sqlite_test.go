package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"quire/internal/store"
	"quire/internal/store/sqlite"
	"quire/internal/store/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		st, err := sqlite.Open(context.Background(), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	})
}

// The file is in WAL mode with foreign keys on, and reopening it migrates nothing twice.
func TestOpenTwice(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := sqlite.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	var mode string
	var fk int
	st.DB().QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode)
	st.DB().QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk)
	if mode != "wal" || fk != 1 {
		t.Fatalf("journal_mode %q foreign_keys %d", mode, fk)
	}
	st.Close()
	st, err = sqlite.Open(ctx, dir)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	st.Close()
	if _, err := os.Stat(filepath.Join(dir, "quire.db")); err != nil {
		t.Fatal(err)
	}
}
