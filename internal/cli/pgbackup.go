package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"quire/internal/dump"
	"quire/internal/store/sqlstore"
)

// backupLogical writes the archive's complete logical dump, secrets
// included, read from one REPEATABLE READ snapshot (how quire backup works
// on PostgreSQL). The file appears only once it is whole and synced.
func backupLogical(ctx context.Context, st *sqlstore.Store, file string, stderr io.Writer) error {
	tmp, err := os.CreateTemp(filepath.Dir(file), ".quire-backup-*.jsonl")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	_, err = dump.Export(ctx, st, tmp, dump.ExportOptions{WithSecrets: true, Progress: stderr})
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// Link, not rename: a file that appeared meanwhile is never replaced.
		err = os.Link(tmp.Name(), file)
	}
	os.Remove(tmp.Name())
	if err != nil {
		return fmt.Errorf("backup to %s: %w", file, err)
	}
	return nil
}

// restoreLogical imports a logical backup into an empty PostgreSQL archive,
// in one transaction.
func restoreLogical(ctx context.Context, st *sqlstore.Store, file string, stderr io.Writer) (dump.Stats, error) {
	works, users, err := st.Holds(ctx)
	if err != nil {
		return dump.Stats{}, err
	}
	if works > 0 || users > 0 {
		return dump.Stats{}, fmt.Errorf("the database already holds an archive (%d works, %d users); restore goes only into an empty archive", works, users)
	}
	f, err := os.Open(file)
	if err != nil {
		return dump.Stats{}, fmt.Errorf("backup file: %w", errors.Unwrap(err))
	}
	defer f.Close()
	return dump.Import(ctx, st, f, dump.ImportOptions{Progress: stderr, Name: file})
}
