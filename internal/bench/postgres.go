package bench

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math"
	"net/url"
	"strings"
	"time"

	"quire/internal/store/postgres"
)

// pgSchema is where the PostgreSQL comparator keeps its tables when the URL
// names no search_path.
const pgSchema = "quire_bench"

// pgFilter is the PostgreSQL opponent: one narrow row per work carrying its
// filter tag ids (the same filter rule expansion as the SQLite comparator's
// filter taggings) in an int[] with a GIN index, and a btree index for every
// sort in both directions. It keeps its tables in a schema of its own and
// reuses them while they match the archive.
type pgFilter struct {
	db     *sql.DB
	conn   *sql.Conn
	schema string
	stmts  map[string]*sql.Stmt
	// Reused is true when the tables already matched the archive.
	Reused bool
}

// preparePostgres connects to the server at dsn and makes its tables match
// the SQLite comparator's, loading them from there when they do not.
func preparePostgres(ctx context.Context, dsn string, lite *sqlFilter, progress io.Writer) (*pgFilter, error) {
	schema, err := schemaOf(dsn)
	if err != nil {
		return nil, err
	}
	db, err := postgres.OpenDB(dsn)
	if err != nil {
		return nil, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres comparator: connect: %w", err)
	}
	p := &pgFilter{db: db, conn: conn, schema: schema, stmts: map[string]*sql.Stmt{}}
	if err := p.build(ctx, lite, progress); err != nil {
		p.Close()
		return nil, fmt.Errorf("postgres comparator: %w", err)
	}
	return p, nil
}

// schemaOf is the first schema of the URL's search_path, or pgSchema.
func schemaOf(dsn string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", fmt.Errorf("--db: %w", err)
	}
	first, _, _ := strings.Cut(u.Query().Get("search_path"), ",")
	if first = strings.Trim(strings.TrimSpace(first), `"`); first != "" {
		return first, nil
	}
	return pgSchema, nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// Close releases the connection.
func (p *pgFilter) Close() error {
	for _, st := range p.stmts {
		st.Close()
	}
	p.conn.Close()
	return p.db.Close()
}

func (p *pgFilter) exec(ctx context.Context, stmts ...string) error {
	for _, q := range stmts {
		if _, err := p.conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%.80s: %w", strings.Join(strings.Fields(q), " "), err)
		}
	}
	return nil
}

// fingerprint summarizes the SQLite comparator's tables: the PostgreSQL
// copy is reused only while it was loaded from tables with the same one.
func (s *sqlFilter) fingerprint(ctx context.Context) (string, error) {
	var works, taggings int64
	var sumWorks, sumCols, sumText, sumTaggings float64
	if err := s.conn.QueryRowContext(ctx, `SELECT count(*), total(id),
			total(vis + 3*complete + 5*words + 7*kudos + 11*hits + 13*comments + 17*bookmarks + updated_at % 1000003 + posted_at % 999983),
			total(length(title_sort) + 3*length(creator_sort))
		FROM bench_works`).Scan(&works, &sumWorks, &sumCols, &sumText); err != nil {
		return "", err
	}
	if err := s.conn.QueryRowContext(ctx, `SELECT count(*), total(tag_id * 7919 + work_id) FROM bench_filter_taggings`).
		Scan(&taggings, &sumTaggings); err != nil {
		return "", err
	}
	return fmt.Sprintf("v1 works=%d/%.0f/%.0f/%.0f taggings=%d/%.0f", works, sumWorks, sumCols, sumText, taggings, sumTaggings), nil
}

func (p *pgFilter) build(ctx context.Context, lite *sqlFilter, progress io.Writer) error {
	// Settings a tuned reader-facing PostgreSQL would have: a custom plan for
	// every execution (a generic plan cannot know how many works an array of
	// tags matches), no JIT (it costs milliseconds on queries that take a
	// few), room to sort in memory, and page costs for data that is cached.
	if err := p.exec(ctx,
		`CREATE SCHEMA IF NOT EXISTS `+quoteIdent(p.schema),
		`SET search_path TO `+quoteIdent(p.schema),
		`SET plan_cache_mode = force_custom_plan`,
		`SET jit = off`,
		`SET work_mem = '64MB'`,
		`SET random_page_cost = 1.1`,
	); err != nil {
		return err
	}
	want, err := lite.fingerprint(ctx)
	if err != nil {
		return fmt.Errorf("fingerprint the SQLite tables: %w", err)
	}
	var have sql.NullString
	var exists bool
	if err := p.conn.QueryRowContext(ctx, `SELECT to_regclass('bench_meta') IS NOT NULL AND to_regclass('bench_works') IS NOT NULL`).Scan(&exists); err != nil {
		return err
	}
	if exists {
		if err := p.conn.QueryRowContext(ctx, `SELECT max(fingerprint) FROM bench_meta`).Scan(&have); err != nil {
			return err
		}
	}
	if have.Valid && have.String == want {
		fmt.Fprintf(progress, "bench: reusing the PostgreSQL tables in schema %s\n", p.schema)
		p.Reused = true
		return nil
	}
	fmt.Fprintf(progress, "bench: loading the works into PostgreSQL schema %s\n", p.schema)
	if err := p.exec(ctx, `DROP TABLE IF EXISTS bench_meta`, `DROP TABLE IF EXISTS bench_works`); err != nil {
		return err
	}
	// vis as in SQLite: 0 anyone, 1 readers with an account, 2 nobody. The
	// sort strings compare bytewise, as SQLite's and the index's do.
	if err := p.exec(ctx, `CREATE TABLE bench_works (
			id           bigint NOT NULL,
			vis          smallint NOT NULL,
			complete     smallint NOT NULL,
			words        bigint NOT NULL,
			updated_at   bigint NOT NULL,
			posted_at    bigint NOT NULL,
			title_sort   text COLLATE "C" NOT NULL,
			creator_sort text COLLATE "C" NOT NULL,
			hits         bigint NOT NULL,
			kudos        bigint NOT NULL,
			comments     bigint NOT NULL,
			bookmarks    bigint NOT NULL,
			filter_ids   int[] NOT NULL
		)`); err != nil {
		return err
	}
	if err := p.load(ctx, lite, progress); err != nil {
		return err
	}
	fmt.Fprintln(progress, "bench: indexing the PostgreSQL tables")
	stmts := []string{
		`ALTER TABLE bench_works ADD PRIMARY KEY (id)`,
		`CREATE INDEX bench_works_filter_ids ON bench_works USING gin (filter_ids)`,
		// Element statistics for more tags: the planner's guess of how many
		// works an array condition matches decides between the GIN index and
		// walking a sort index.
		`ALTER TABLE bench_works ALTER COLUMN filter_ids SET STATISTICS 1000`,
	}
	for _, c := range sorts {
		// (c, id) read backwards serves c DESC, id DESC; (c, id DESC) read
		// forwards serves c ASC, id DESC.
		stmts = append(stmts,
			fmt.Sprintf(`CREATE INDEX bench_works_%[1]s_desc ON bench_works (%[1]s, id)`, c.column),
			fmt.Sprintf(`CREATE INDEX bench_works_%[1]s_asc ON bench_works (%[1]s, id DESC)`, c.column))
	}
	// VACUUM sets the visibility map, so counts can be index-only scans.
	stmts = append(stmts, `VACUUM (ANALYZE) bench_works`,
		`CREATE TABLE bench_meta (fingerprint text NOT NULL)`)
	if err := p.exec(ctx, stmts...); err != nil {
		return err
	}
	_, err = p.conn.ExecContext(ctx, `INSERT INTO bench_meta (fingerprint) VALUES (?)`, want)
	return err
}

// load copies the SQLite comparator's works and filter taggings into
// bench_works, a thousand rows a statement.
func (p *pgFilter) load(ctx context.Context, lite *sqlFilter, progress io.Writer) error {
	filters := map[int64][]int32{}
	rows, err := lite.conn.QueryContext(ctx, `SELECT tag_id, work_id FROM bench_filter_taggings ORDER BY tag_id, work_id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var tag, work int64
		if err := rows.Scan(&tag, &work); err != nil {
			rows.Close()
			return err
		}
		if tag > math.MaxInt32 || tag < math.MinInt32 {
			rows.Close()
			return fmt.Errorf("tag id %d does not fit an int[]", tag)
		}
		filters[work] = append(filters[work], int32(tag))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}

	var total int
	if err := lite.conn.QueryRowContext(ctx, `SELECT count(*) FROM bench_works`).Scan(&total); err != nil {
		return err
	}
	const cols, batch = 13, 1000
	tx, err := p.conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	row := "(" + placeholders(cols) + ")"
	full := `INSERT INTO bench_works VALUES ` + strings.TrimSuffix(strings.Repeat(row+", ", batch), ", ")
	ins, err := tx.PrepareContext(ctx, full)
	if err != nil {
		return err
	}
	defer ins.Close()
	flush := func(args []any) error {
		n := len(args) / cols
		if n == 0 {
			return nil
		}
		if n == batch {
			_, err := ins.ExecContext(ctx, args...)
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO bench_works VALUES `+strings.TrimSuffix(strings.Repeat(row+", ", n), ", "), args...)
		return err
	}

	works, err := lite.conn.QueryContext(ctx, `SELECT id, vis, complete, words, updated_at, posted_at, title_sort, creator_sort,
		hits, kudos, comments, bookmarks FROM bench_works ORDER BY id`)
	if err != nil {
		return err
	}
	defer works.Close()
	start := time.Now()
	args := make([]any, 0, cols*batch)
	done := 0
	for works.Next() {
		var id, vis, complete, words, updated, posted, hits, kudos, comments, bookmarks int64
		var title, creator string
		if err := works.Scan(&id, &vis, &complete, &words, &updated, &posted, &title, &creator, &hits, &kudos, &comments, &bookmarks); err != nil {
			return err
		}
		ids := filters[id]
		if ids == nil {
			ids = []int32{}
		}
		args = append(args, id, vis, complete, words, updated, posted, title, creator, hits, kudos, comments, bookmarks, ids)
		if len(args) == cols*batch {
			if err := flush(args); err != nil {
				return fmt.Errorf("insert works: %w", err)
			}
			args = args[:0]
		}
		done++
		if done%100000 == 0 {
			fmt.Fprintf(progress, "bench: %d/%d works loaded into PostgreSQL (%.0fs)\n", done, total, time.Since(start).Seconds())
		}
	}
	if err := works.Err(); err != nil {
		return err
	}
	if err := flush(args); err != nil {
		return fmt.Errorf("insert works: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(progress, "bench: %d works loaded into PostgreSQL in %.1fs\n", done, time.Since(start).Seconds())
	return nil
}

func int32s(ts []tagPick) []int32 {
	out := make([]int32, len(ts))
	for i, t := range ts {
		out[i] = int32(t.ID)
	}
	return out
}

// answer runs a query's exact count and its page. The tag conditions are
// array operators the GIN index serves: all of the includes and warnings
// (@>), none of the excludes (NOT &&), any of the ratings (&&).
func (p *pgFilter) answer(ctx context.Context, q query) (answer, error) {
	var b sqlQuery
	plain(&b, q)
	ts := setsOf(q)
	if len(ts.in) > 0 {
		b.and(`w.filter_ids @> ?::int[]`, int32s(ts.in))
	}
	if len(ts.out) > 0 {
		b.and(`NOT w.filter_ids && ?::int[]`, int32s(ts.out))
	}
	if len(ts.anyOf) > 0 {
		b.and(`w.filter_ids && ?::int[]`, int32s(ts.anyOf))
	}
	column, dir := orderBy(q)
	offset := (q.Page - 1) * perPage

	st, err := p.stmt(ctx, `SELECT count(*) FROM bench_works w`+b.clause())
	if err != nil {
		return answer{}, err
	}
	var n int
	if err := st.QueryRowContext(ctx, b.args...).Scan(&n); err != nil {
		return answer{}, err
	}
	st, err = p.stmt(ctx, `SELECT w.id FROM bench_works w`+b.clause()+
		fmt.Sprintf(` ORDER BY w.%s %s, w.id DESC LIMIT %d OFFSET ?`, column, dir, perPage))
	if err != nil {
		return answer{}, err
	}
	rows, err := st.QueryContext(ctx, append(b.args, offset)...)
	if err != nil {
		return answer{}, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return answer{}, err
		}
		ids = append(ids, id)
	}
	return answer{Total: n, IDs: ids}, rows.Err()
}

func (p *pgFilter) stmt(ctx context.Context, text string) (*sql.Stmt, error) {
	if st := p.stmts[text]; st != nil {
		return st, nil
	}
	st, err := p.conn.PrepareContext(ctx, text)
	if err != nil {
		return nil, fmt.Errorf("prepare %s: %w", text, err)
	}
	p.stmts[text] = st
	return st, nil
}
