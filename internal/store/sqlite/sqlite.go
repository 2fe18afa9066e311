// Package sqlite opens Quire's embedded default store: one SQLite file,
// quire.db, through modernc.org/sqlite (pure Go, FTS5 built in), in WAL
// mode with foreign keys on. The SQL itself lives in store/sqlstore.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
	"quire/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the SQL store opened on an SQLite file.
type Store = sqlstore.Store

// Engine is SQLite's side of sqlstore.Engine.
var Engine sqlstore.Engine = engine{}

type engine struct{}

func (engine) Name() string { return "sqlite" }

// SyncSequences has nothing to do: an SQLite rowid id is one more than the
// largest present.
func (engine) SyncSequences(context.Context, *sql.Tx) error { return nil }

func (engine) SkipLocked() string { return "" } // one writer at a time

func (engine) BeginSnapshot() string { return `BEGIN DEFERRED` }

func (engine) Migrations() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err) // the embedded directory is part of the build
	}
	return sub
}

// Open opens (creating if needed) dir/quire.db and brings its schema up to date.
func Open(ctx context.Context, dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	return OpenFile(ctx, filepath.Join(dir, "quire.db"))
}

// OpenFile opens the database file at path.
func OpenFile(ctx context.Context, path string) (*Store, error) {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(FULL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	// Each connection keeps its prepared statements (stmtcache.go).
	db := sql.OpenDB(&connector{dsn: "file:" + path + "?" + q.Encode()})
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s, err := sqlstore.New(ctx, db, Engine)
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// SearchText runs an FTS5 query built from plain terms (each quoted, so no
// user text is ever FTS syntax).
func (engine) SearchText(ctx context.Context, db *sql.DB, q store.TextQuery) ([]int64, error) {
	var parts []string
	quote := func(t string) string { return `"` + strings.ReplaceAll(t, `"`, `""`) + `"` }
	for _, t := range q.Terms {
		parts = append(parts, quote(t))
	}
	for _, g := range q.AnyOf {
		var alts []string
		for _, t := range g {
			alts = append(alts, quote(t))
		}
		if len(alts) > 0 {
			parts = append(parts, "("+strings.Join(alts, " OR ")+")")
		}
	}
	var notFields []string
	for _, f := range q.Fields {
		col, ok := store.TextFields[f.Field]
		if !ok {
			return nil, archive.Invalid("q", "%q is not a field to search", f.Field)
		}
		if f.Not {
			notFields = append(notFields, col+" : "+quote(f.Text))
		} else {
			parts = append(parts, col+" : "+quote(f.Text))
		}
	}
	if len(parts) == 0 {
		return nil, archive.Invalid("q", "the search needs at least one word to look for")
	}
	expr := strings.Join(parts, " AND ")
	for _, t := range q.Not {
		expr += " NOT " + quote(t)
	}
	for _, f := range notFields {
		expr += " NOT " + f
	}
	rows, err := db.QueryContext(ctx, `SELECT rowid FROM works_fts WHERE works_fts MATCH ?`, expr)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	ids, err := collectIDs(rows)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids, nil
}

func collectIDs(rows *sql.Rows) ([]int64, error) {
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
