package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"quire/internal/store/sqlstore"
	"strings"
)

// Backup writes a consistent copy of the database to path with VACUUM INTO,
// which reads one snapshot while writers carry on. path must not exist.
func (engine) Backup(ctx context.Context, s *Store, path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if _, err := os.Lstat(abs); err == nil {
		return fmt.Errorf("%s already exists; a backup never overwrites a file", path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if _, err := s.DB().ExecContext(ctx, `VACUUM INTO ?`, abs); err != nil {
		os.Remove(abs)
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if err := syncFile(abs); err != nil {
		os.Remove(abs)
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// CheckBackup reports whether the file at path is a sound Quire database
// this build can open: SQLite's integrity check passes, and it has Quire's
// schema_migrations at a version no newer than this build's.
func CheckBackup(ctx context.Context, path string) error {
	return checkBackup(ctx, path, path)
}

// checkBackup checks the file at path, naming it name in errors.
func checkBackup(ctx context.Context, path, name string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	var version sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&version); err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return fmt.Errorf("%s is not a Quire database (no schema_migrations table)", name)
		}
		if strings.Contains(err.Error(), "not a database") || strings.Contains(err.Error(), "file is encrypted") {
			return fmt.Errorf("%s is not an SQLite database", name)
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	if !version.Valid {
		return fmt.Errorf("%s is not a Quire database (no schema version)", name)
	}
	if int(version.Int64) > sqlstore.LatestMigration(Engine) {
		return fmt.Errorf("%s has schema version %d, newer than this quire knows (%d); restore it with a newer quire", name, version.Int64, sqlstore.LatestMigration(Engine))
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM works`).Scan(&n); err != nil {
		return fmt.Errorf("%s is not a Quire database: %v", name, err)
	}
	var check string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil {
		return fmt.Errorf("%s: integrity check: %w", name, err)
	}
	if check != "ok" {
		return fmt.Errorf("%s fails SQLite's integrity check: %s", name, check)
	}
	return nil
}

// Restore puts the backup file at path in place as dir/quire.db. It refuses
// unless dir holds no archive or an empty one (no works, no users), and
// checks the backup (CheckBackup) on the copy it is about to put in place;
// until the final rename nothing in dir changes.
func Restore(ctx context.Context, path, dir string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("backup file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", path)
	}
	target := filepath.Join(dir, "quire.db")
	if _, err := os.Stat(target); err == nil {
		st, err := OpenFile(ctx, target)
		if err != nil {
			return fmt.Errorf("open the archive in %s: %w", dir, err)
		}
		var works, users int
		err = st.DB().QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM works), (SELECT COUNT(*) FROM users)`).Scan(&works, &users)
		st.Close()
		if err != nil {
			return fmt.Errorf("the archive in %s: %w", dir, err)
		}
		if works > 0 || users > 0 {
			return fmt.Errorf("%s already holds an archive (%d works, %d users); restore goes only into an empty archive", dir, works, users)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	_, statErr := os.Stat(dir)
	madeDir := errors.Is(statErr, fs.ErrNotExist)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("create data directory: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".quire-restore-*.db")
	if err != nil {
		if madeDir {
			os.Remove(dir)
		}
		return fmt.Errorf("restore: %w", err)
	}
	tmpName := tmp.Name()
	cleanup := func() {
		for _, suf := range []string{"", "-wal", "-shm", "-journal"} {
			os.Remove(tmpName + suf)
		}
		if madeDir {
			os.Remove(dir) // only when still empty
		}
	}
	src, err := os.Open(path)
	if err != nil {
		tmp.Close()
		cleanup()
		return fmt.Errorf("backup file: %w", err)
	}
	_, err = io.Copy(tmp, src)
	src.Close()
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		cleanup()
		return fmt.Errorf("copy backup: %w", err)
	}
	if err := checkBackup(ctx, tmpName, path); err != nil {
		cleanup()
		return err
	}
	for _, suf := range []string{"-wal", "-shm", "-journal"} {
		os.Remove(tmpName + suf)
	}
	// The empty archive's own WAL files must not be applied to the restored file.
	for _, suf := range []string{"-wal", "-shm"} {
		if err := os.Remove(target + suf); err != nil && !errors.Is(err, fs.ErrNotExist) {
			cleanup()
			return fmt.Errorf("restore: %w", err)
		}
	}
	if err := os.Rename(tmpName, target); err != nil {
		cleanup()
		return fmt.Errorf("restore: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	// Bring the schema up to date (a backup from an older quire).
	st, err := Open(ctx, dir)
	if err != nil {
		return fmt.Errorf("open the restored archive: %w", err)
	}
	return st.Close()
}
