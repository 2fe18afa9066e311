// Package sqlstore is Quire's store.Store over database/sql, shared by the
// two engines: SQLite (the embedded default, package store/sqlite) and
// PostgreSQL (package store/postgres). The SQL is written once with `?`
// placeholders; the PostgreSQL connection rewrites them to $N. What differs
// between the engines (full-text search, schema files) sits behind Engine.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

// Engine is what one database engine brings: its name, its migrations and
// its full-text query.
type Engine interface {
	// Name is "sqlite" or "postgres".
	Name() string
	// Migrations holds the engine's numbered schema files (NNNN_name.sql).
	Migrations() fs.FS
	// SearchText returns the ids of works whose full-text row matches q.
	SearchText(ctx context.Context, db *sql.DB, q store.TextQuery) ([]int64, error)
	// BeginSnapshot is the statement that opens a read-only transaction
	// seeing one consistent snapshot while writers go on.
	BeginSnapshot() string
	// SyncSequences moves id generators past ids inserted explicitly (an
	// import keeps the dump's ids).
	SyncSequences(ctx context.Context, tx *sql.Tx) error
	// SkipLocked is the clause that makes a subquery's row lock skip rows
	// another transaction holds ("" where writers are serialised anyway).
	SkipLocked() string
	// Backup writes a consistent snapshot of the archive to path.
	Backup(ctx context.Context, s *Store, path string) error
}

// Store is the SQL store.
type Store struct {
	db     *sql.DB
	engine Engine
}

var _ store.Store = (*Store)(nil)

// New wraps an open database handle and brings its schema up to date.
func New(ctx context.Context, db *sql.DB, engine Engine) (*Store, error) {
	s := &Store{db: db, engine: engine}
	if err := s.migrate(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Backup writes a consistent snapshot of the whole archive to path, which
// must not exist, in the engine's own way.
func (s *Store) Backup(ctx context.Context, path string) error {
	return s.engine.Backup(ctx, s, path)
}

// Engine is the store's engine.
func (s *Store) Engine() Engine { return s.engine }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// DB exposes the handle for backups and benchmarks inside the store tree.
func (s *Store) DB() *sql.DB { return s.db }

// LatestMigration is the highest schema version the engine's files know.
func LatestMigration(e Engine) int {
	names, _ := fs.Glob(e.Migrations(), "*.sql")
	max := 0
	for _, n := range names {
		if v, err := strconv.Atoi(strings.SplitN(path.Base(n), "_", 2)[0]); err == nil && v > max {
			max = v
		}
	}
	return max
}

func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	migrations := s.engine.Migrations()
	names, err := fs.Glob(migrations, "*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		base := path.Base(name)
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: bad name", base)
		}
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, v).Scan(&n); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if n > 0 {
			continue
		}
		body, err := fs.ReadFile(migrations, name)
		if err != nil {
			return err
		}
		apply := func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("apply %s: %w", base, err)
			}
			if err := s.runDirectives(ctx, tx, base, string(body)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, v, time.Now().Unix())
			return err
		}
		if strings.Contains(string(body), directivePrefix) {
			err = s.rebuildTx(ctx, apply)
		} else {
			err = s.tx(ctx, apply)
		}
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	return nil
}

// tx runs fn in a write transaction, committing when it returns nil.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// queryer is what both *sql.DB and *sql.Tx offer.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, archive.ErrNotFound)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// isUnique reports a unique-constraint violation, in SQLite's words or
// PostgreSQL's (SQLSTATE 23505).
func isUnique(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505")
}

// isForeignKey reports a foreign-key violation (SQLSTATE 23503 on PostgreSQL).
func isForeignKey(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "FOREIGN KEY") || strings.Contains(msg, "SQLSTATE 23503")
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// nullUnix is a time as Unix seconds, NULL when zero.
func nullUnix(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Unix()
}

func fromUnix(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(n, 0).UTC()
}

// placeholders returns "?,?,?" for n values.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?,", n-1) + "?"
}

func int64Args(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// stmtCache prepares each statement once per transaction: batch inserts
// run the same few statements thousands of times.
type stmtCache struct {
	tx *sql.Tx
	m  map[string]*sql.Stmt
}

func newStmtCache(tx *sql.Tx) *stmtCache { return &stmtCache{tx: tx, m: map[string]*sql.Stmt{}} }

func (c *stmtCache) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := c.m[query]; ok {
		return st, nil
	}
	st, err := c.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.m[query] = st
	return st, nil
}

func (c *stmtCache) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (c *stmtCache) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// QueryRowContext on a statement that failed to prepare returns a row whose
// Scan reports the error (through the transaction's own QueryRow).
func (c *stmtCache) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return c.tx.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

func (c *stmtCache) close() {
	for _, st := range c.m {
		st.Close()
	}
}

// directivePrefix starts a migration line that asks the engine for a step
// SQL alone cannot say, e.g. "-- quire:autoincrement users works" (SQLite
// rebuilds those tables so their ids are never used twice).
const directivePrefix = "-- quire:"

// Directives is an engine that carries out migration directives.
type Directives interface {
	// Directive carries out one directive line (without its prefix) in tx,
	// which runs with foreign-key enforcement off.
	Directive(ctx context.Context, tx *sql.Tx, directive string) error
}

func (s *Store) runDirectives(ctx context.Context, tx *sql.Tx, base, body string) error {
	for _, line := range strings.Split(body, "\n") {
		d, ok := strings.CutPrefix(strings.TrimSpace(line), directivePrefix)
		if !ok {
			continue
		}
		e, ok := s.engine.(Directives)
		if !ok {
			return fmt.Errorf("apply %s: the %s engine has no directives", base, s.engine.Name())
		}
		if err := e.Directive(ctx, tx, d); err != nil {
			return fmt.Errorf("apply %s: %s: %w", base, d, err)
		}
	}
	return nil
}

// rebuildTx runs fn in a transaction on one connection whose foreign-key
// enforcement is off, as SQLite's table rebuilds need: dropping a table
// would otherwise cascade its deletion to every row that references it.
// Before committing, every reference must still hold.
func (s *Store) rebuildTx(ctx context.Context, fn func(*sql.Tx) error) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), `PRAGMA foreign_keys = ON`)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	rows, err := tx.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		tx.Rollback()
		return err
	}
	broken := rows.Next()
	rows.Close()
	if broken {
		tx.Rollback()
		return fmt.Errorf("a rebuilt table left a reference dangling")
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
