// Package postgres opens Quire's store on PostgreSQL through pgx, for
// archives that outgrow one machine: several `quire serve` nodes share one
// database. The SQL is store/sqlstore's, written with `?` placeholders; the
// connections made here rewrite them to PostgreSQL's $N.
package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"quire/internal/archive"
	"quire/internal/store"
	"quire/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the SQL store opened on PostgreSQL.
type Store = sqlstore.Store

// Engine is PostgreSQL's side of sqlstore.Engine.
var Engine sqlstore.Engine = engine{}

type engine struct{}

func (engine) Name() string { return "postgres" }

// SyncSequences sets every identity column's sequence of the current schema
// to the column's largest value.
func (engine) SyncSequences(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE is_identity = 'YES' AND identity_generation = 'BY DEFAULT' AND table_schema = current_schema()`)
	if err != nil {
		return fmt.Errorf("sync sequences: %w", err)
	}
	var cols [][2]string
	for rows.Next() {
		var c [2]string
		if err := rows.Scan(&c[0], &c[1]); err != nil {
			rows.Close()
			return fmt.Errorf("sync sequences: %w", err)
		}
		cols = append(cols, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sync sequences: %w", err)
	}
	for _, c := range cols {
		table, col := pgx.Identifier{c[0]}.Sanitize(), pgx.Identifier{c[1]}.Sanitize()
		q := `SELECT setval(pg_get_serial_sequence(?, ?), GREATEST(COALESCE(MAX(` + col + `), 0), 1), COALESCE(MAX(` + col + `), 0) > 0) FROM ` + table
		if _, err := tx.ExecContext(ctx, q, table, c[1]); err != nil {
			return fmt.Errorf("sync sequence of %s.%s: %w", c[0], c[1], err)
		}
	}
	return nil
}

func (engine) SkipLocked() string { return " FOR UPDATE SKIP LOCKED" }

func (engine) BeginSnapshot() string {
	return `BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY`
}

func (engine) Migrations() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err) // the embedded directory is part of the build
	}
	return sub
}

// IsURL reports whether dsn names a PostgreSQL server.
func IsURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to the database at dsn (a postgres:// URL; a search_path
// option selects a schema) and brings its schema up to date. Several
// processes may open one database at once: migrations take an advisory lock.
func Open(ctx context.Context, dsn string) (*Store, error) {
	db, err := OpenDB(dsn)
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		// pgx puts each address it tried on a line of its own; the command
		// line shows one line.
		return nil, fmt.Errorf("connect to PostgreSQL: %s", strings.Join(strings.Fields(err.Error()), " "))
	}
	var s *Store
	if err := lockMigrations(ctx, db, func() (err error) {
		s, err = sqlstore.New(ctx, db, Engine)
		return err
	}); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// OpenDB returns a database/sql handle whose connections take `?` placeholders.
func OpenDB(dsn string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("--db: %w", err)
	}
	db := sql.OpenDB(connector{stdlib.GetConnector(*cfg)})
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	db.SetConnMaxIdleTime(5 * time.Minute)
	return db, nil
}

// lockMigrations runs fn under a session advisory lock, so that nodes
// starting together migrate one after the other. The lock is keyed on the
// connection's search_path as well: archives in different schemas of one
// database (the tests' schemas, a staging copy) migrate at the same time.
func lockMigrations(ctx context.Context, db *sql.DB, fn func() error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	const key = 7_460_117 // any constant shared by every quire node
	const schema = `hashtext(current_setting('search_path'))`
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(?, `+schema+`)`, key); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(?, `+schema+`)`, key)
	return fn()
}

// SearchText matches the quoted terms as phrases against the tsvector.
func (engine) SearchText(ctx context.Context, db *sql.DB, q store.TextQuery) ([]int64, error) {
	var parts []string
	var args []any
	phrase := func(t string) string {
		args = append(args, t)
		return `phraseto_tsquery('simple', ?)`
	}
	for _, t := range q.Terms {
		parts = append(parts, phrase(t))
	}
	for _, g := range q.AnyOf {
		var alts []string
		for _, t := range g {
			alts = append(alts, phrase(t))
		}
		if len(alts) > 0 {
			parts = append(parts, "("+strings.Join(alts, " || ")+")")
		}
	}
	// A field term is found in the whole document (the index) and then in
	// its own column; an excluded one must not be in its column.
	var conds []string
	for _, f := range q.Fields {
		if _, ok := store.TextFields[f.Field]; !ok {
			return nil, archive.Invalid("q", "%q is not a field to search", f.Field)
		}
		if !f.Not {
			parts = append(parts, phrase(f.Text))
		}
	}
	if len(parts) == 0 {
		return nil, archive.Invalid("q", "the search needs at least one word to look for")
	}
	expr := strings.Join(parts, " && ")
	for _, t := range q.Not {
		expr += " && !! " + phrase(t)
	}
	for _, f := range q.Fields {
		col := store.TextFields[f.Field]
		c := `to_tsvector('simple', ` + col + `) @@ ` + phrase(f.Text)
		if f.Not {
			c = "NOT (" + c + ")"
		}
		conds = append(conds, c)
	}
	where := `doc @@ (` + expr + `)`
	for _, c := range conds {
		where += " AND " + c
	}
	rows, err := db.QueryContext(ctx, `SELECT rowid FROM works_fts WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids, nil
}

// Backup on PostgreSQL is the logical dump (quire export --with-secrets),
// which reads one REPEATABLE READ snapshot; the command line writes it.
func (engine) Backup(ctx context.Context, s *Store, path string) error {
	return errors.New("on PostgreSQL, quire backup writes the export; this store cannot copy files")
}

// connector hands out connections that rewrite `?` placeholders.
type connector struct{ driver.Connector }

func (c connector) Connect(ctx context.Context) (driver.Conn, error) {
	cn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &conn{cn.(*stdlib.Conn)}, nil
}

// conn is pgx's database/sql connection with `?` placeholders, Go
// booleans stored as 0/1 (the schema keeps flags as integers, as SQLite
// does) and text that PostgreSQL would refuse made valid.
type conn struct{ *stdlib.Conn }

func (c *conn) Prepare(query string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(context.Background(), Rebind(query))
}

func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, Rebind(query))
}

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, Rebind(query), args)
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, Rebind(query), args)
}

func (c *conn) CheckNamedValue(nv *driver.NamedValue) error {
	if s, ok := nv.Value.(string); ok && (strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s)) {
		// PostgreSQL refuses NUL bytes and invalid UTF-8 in text, where
		// SQLite stores them. What is written was sanitized before it got
		// here; what still carries them is a lookup (a name in a URL, a
		// login), and no stored value can match it either way.
		nv.Value = strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", "\uFFFD"), "\uFFFD")
		return nil
	}
	if b, ok := nv.Value.(bool); ok {
		if b {
			nv.Value = int64(1)
		} else {
			nv.Value = int64(0)
		}
	}
	return nil
}

// Rebind rewrites each `?` placeholder to $1, $2, … leaving question marks
// inside quoted strings, quoted identifiers, dollar-quoted bodies and
// comments alone.
func Rebind(query string) string {
	if !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	for i := 0; i < len(query); i++ {
		ch := query[i]
		switch {
		case ch == '\'' || ch == '"':
			j := i + 1
			for j < len(query) {
				if query[j] == ch {
					if j+1 < len(query) && query[j+1] == ch { // doubled quote
						j += 2
						continue
					}
					break
				}
				j++
			}
			end := min(j+1, len(query))
			b.WriteString(query[i:end])
			i = end - 1
		case ch == '-' && i+1 < len(query) && query[i+1] == '-':
			j := strings.IndexByte(query[i:], '\n')
			if j < 0 {
				j = len(query) - i
			}
			b.WriteString(query[i : i+j])
			i += j - 1
		case ch == '$' && i+1 < len(query) && query[i+1] == '$':
			j := strings.Index(query[i+2:], "$$")
			end := len(query)
			if j >= 0 {
				end = i + 2 + j + 2
			}
			b.WriteString(query[i:end])
			i = end - 1
		case ch == '?':
			n++
			fmt.Fprintf(&b, "$%d", n)
		default:
			b.WriteByte(ch)
		}
	}
	return b.String()
}
