// Package bench is `quire bench`: it measures the listing index against the
// best plain-SQL formulation of the same listing on the same SQLite file (and
// on PostgreSQL when given a server), and checks that all give the same
// answers. The SQL comparator lives here, not
// in the store: it is an opponent to measure against, not a way to serve
// readers.
package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"quire/internal/archive"
	"quire/internal/listing"
	"quire/internal/store/postgres"
)

// FilterOptions configures Filter.
type FilterOptions struct {
	Works   int    // archive size
	Queries int    // number of queries
	Seed    int64  // archive and query seed
	Data    string // directory of the bench archive; "" = ./quire-bench/<Works>
	// DB is a PostgreSQL URL to compare with as well; "" = SQLite only. The
	// comparator's tables go in the schema its search_path names, or in
	// quire_bench.
	DB string
	// SQLForm picks the SQL formulation (see sqlForms); "" = the fastest found.
	SQLForm string
	// Progress receives progress lines; nil = none.
	Progress io.Writer
	// Out receives disagreements; nil = Progress.
	Out io.Writer
}

// Latency is one engine's percentiles.
type Latency struct {
	P50 float64 `json:"p50_ms"`
	P99 float64 `json:"p99_ms"`
}

// Engines are the latencies per engine.
type Engines struct {
	Index    Latency  `json:"index"`
	SQLite   Latency  `json:"sqlite"`
	Postgres *Latency `json:"postgres,omitempty"`
}

// Report is the outcome of Filter; its JSON is the one line `--json` prints.
type Report struct {
	Works   int     `json:"works"`
	Queries int     `json:"queries"`
	Agree   bool    `json:"agree"`
	Engines Engines `json:"engines"`
	// Facets are timed apart when the index offers Facets (see facetIndex);
	// otherwise Search computes them with the page and this is Search's time.
	Facets Latency `json:"facets"`
	// IndexBytes estimates the index's size: live heap after building it
	// minus live heap before, each after a GC.
	IndexBytes   int64   `json:"index_bytes"`
	BuildMS      float64 `json:"build_ms"`
	SQLPrepareMS float64 `json:"sql_prepare_ms"`
	// PostgresPrepareMS is the time to load (or find) and index the
	// PostgreSQL comparator's tables.
	PostgresPrepareMS float64 `json:"postgres_prepare_ms,omitempty"`

	FacetsSplit   bool           `json:"-"`
	SQLForm       string         `json:"-"`
	PostgresTable string         `json:"-"` // schema.table, and whether reused
	Disagreements []Disagreement `json:"-"`
}

// ErrDisagree is returned (with the report) when the engines' answers differ.
var ErrDisagree = errors.New("the index and SQL disagree")

// DefaultData is the bench archive directory for n works.
func DefaultData(n int) string { return filepath.Join("quire-bench", strconv.Itoa(n)) }

// Filter builds or opens the bench archive, runs the same generated queries
// through the index and through SQL (SQLite, and PostgreSQL when opts.DB is
// set), compares every answer and measures each engine.
func Filter(ctx context.Context, opts FilterOptions) (*Report, error) {
	if opts.DB != "" && !postgres.IsURL(opts.DB) {
		return nil, fmt.Errorf("--db %q: expected a postgres:// URL (the SQLite opponent always runs on the bench archive)", opts.DB)
	}
	if opts.Works <= 0 || opts.Queries <= 0 {
		return nil, errors.New("--works and --queries must be positive")
	}
	progress := opts.Progress
	if progress == nil {
		progress = io.Discard
	}
	out := opts.Out
	if out == nil {
		out = progress
	}
	if opts.Data == "" {
		opts.Data = DefaultData(opts.Works)
	}
	form := opts.SQLForm
	if form == "" {
		form = bestForm
	}
	if _, ok := sqlForms[form]; !ok {
		return nil, fmt.Errorf("unknown SQL form %q", form)
	}

	st, err := openArchive(ctx, opts.Data, opts.Works, opts.Seed, filterBodyWords, false, progress)
	if err != nil {
		return nil, err
	}
	defer st.Close()

	rep := &Report{Works: opts.Works, Queries: opts.Queries, SQLForm: form}

	fmt.Fprintln(progress, "bench: building the index")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	ix, err := listing.Build(ctx, st, progress)
	if err != nil {
		return nil, err
	}
	rep.BuildMS = ms(time.Since(start))
	runtime.GC()
	runtime.ReadMemStats(&after)
	rep.IndexBytes = int64(after.HeapAlloc) - int64(before.HeapAlloc)

	fmt.Fprintln(progress, "bench: building the SQL comparator's tables")
	start = time.Now()
	cmp, err := prepareSQL(ctx, st.DB(), ix.Graph(), form)
	if err != nil {
		return nil, err
	}
	defer cmp.Close()
	rep.SQLPrepareMS = ms(time.Since(start))
	opponents := []opponent{{"sqlite", cmp.answer}}

	if opts.DB != "" {
		fmt.Fprintln(progress, "bench: preparing the PostgreSQL comparator")
		start = time.Now()
		pg, err := preparePostgres(ctx, opts.DB, cmp, progress)
		if err != nil {
			return nil, err
		}
		defer pg.Close()
		rep.PostgresPrepareMS = ms(time.Since(start))
		rep.PostgresTable = pg.schema + ".bench_works"
		if pg.Reused {
			rep.PostgresTable += " (reused)"
		}
		opponents = append(opponents, opponent{"postgres", pg.answer})
	}

	qs, err := generateQueries(ctx, cmp, ix.Graph(), opts.Queries, opts.Seed)
	if err != nil {
		return nil, err
	}

	idx := indexEngine(ix)
	_, rep.FacetsSplit = any(ix).(facetIndex)
	fmt.Fprintf(progress, "bench: %d queries, warm-up pass\n", len(qs))
	if _, err := run(ctx, qs, idx, opponents...); err != nil {
		return nil, err
	}
	fmt.Fprintf(progress, "bench: %d queries, timed pass\n", len(qs))
	m, err := run(ctx, qs, idx, opponents...)
	if err != nil {
		return nil, err
	}
	rep.Engines.Index = percentiles(m.first)
	rep.Engines.SQLite = percentiles(m.sql[0])
	if len(m.sql) > 1 {
		l := percentiles(m.sql[1])
		rep.Engines.Postgres = &l
	}
	rep.Facets = percentiles(m.facets)
	rep.Disagreements = m.disagreements
	rep.Agree = len(m.disagreements) == 0
	for i, d := range rep.Disagreements {
		if i == 10 {
			fmt.Fprintf(out, "… and %d more disagreements\n", len(rep.Disagreements)-10)
			break
		}
		fmt.Fprintln(out, d)
	}
	runtime.KeepAlive(ix)
	if !rep.Agree {
		return rep, fmt.Errorf("%w on %d of %d queries", ErrDisagree, len(rep.Disagreements), len(qs))
	}
	return rep, nil
}

// facetIndex is an index that computes facets apart from the page.
type facetIndex interface {
	Facets(q listing.Query, v listing.Viewer) (map[archive.TagType][]listing.Facet, error)
}

// WriteJSON writes the report as one line of JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

// Text writes the report for people.
func (r *Report) Text(w io.Writer) {
	fmt.Fprintf(w, "works %d, queries %d, answers agree: %v\n", r.Works, r.Queries, r.Agree)
	fmt.Fprintf(w, "index build %.0f ms, about %.1f MB; SQL tables (%s) %.0f ms\n", r.BuildMS, float64(r.IndexBytes)/(1<<20), r.SQLForm, r.SQLPrepareMS)
	label := "index (filter, sort, page)"
	if !r.FacetsSplit {
		label = "index (filter, sort, page, facets)"
	}
	fmt.Fprintf(w, "%-36s p50 %9.3f ms   p99 %9.3f ms\n", label, r.Engines.Index.P50, r.Engines.Index.P99)
	fmt.Fprintf(w, "%-36s p50 %9.3f ms   p99 %9.3f ms\n", "sqlite (count + page)", r.Engines.SQLite.P50, r.Engines.SQLite.P99)
	if pg := r.Engines.Postgres; pg != nil {
		fmt.Fprintf(w, "%-36s p50 %9.3f ms   p99 %9.3f ms\n", "postgres (count + page)", pg.P50, pg.P99)
	}
	if r.FacetsSplit {
		fmt.Fprintf(w, "%-36s p50 %9.3f ms   p99 %9.3f ms\n", "facets", r.Facets.P50, r.Facets.P99)
	} else {
		fmt.Fprintln(w, "facets are computed inside Search; they are part of the index time above")
	}
	fmt.Fprintf(w, "sqlite / index: p50 %.1f×, p99 %.1f×\n", ratio(r.Engines.SQLite.P50, r.Engines.Index.P50), ratio(r.Engines.SQLite.P99, r.Engines.Index.P99))
	if pg := r.Engines.Postgres; pg != nil {
		fmt.Fprintf(w, "postgres / index: p50 %.1f×, p99 %.1f×\n", ratio(pg.P50, r.Engines.Index.P50), ratio(pg.P99, r.Engines.Index.P99))
		fmt.Fprintf(w, "postgres tables %s prepared in %.0f ms\n", r.PostgresTable, r.PostgresPrepareMS)
	}
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
