package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"quire/internal/bench"
)

func benchCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "http" {
		return benchHTTP(ctx, args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "filter" {
		return errors.New("usage: quire bench filter [--works N] [--queries K] [--seed S] [--data DIR] [--db URL] [--json]\n       quire bench http --db URL [--nodes 1,2] [--concurrency C] [--duration D] [--json]")
	}
	fs := newFlags("bench filter", stderr)
	works := fs.Int("works", 100000, "number of works in the bench archive")
	queries := fs.Int("queries", 1000, "number of queries to run through each engine")
	seed := fs.Int64("seed", 1, "seed of the archive and the queries")
	data := fs.String("data", "", "directory of the bench archive, reused when it holds --works works (default ./quire-bench/N)")
	db := fs.String("db", "", "PostgreSQL URL to compare with as well: the works are copied into schema quire_bench (or the URL's search_path), an int[] of filter ids with a GIN index, reloaded when they do not match the archive")
	form := fs.String("sql-form", "", "SQL formulation to compare against: in, exists, intersect or adaptive (default: the fastest)")
	asJSON := fs.Bool("json", false, "print one line of JSON")
	// No QUIRE_* fallbacks here: QUIRE_DATA and QUIRE_DB name the real
	// archive, and the bench must never write demo works into it.
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	rep, err := bench.Filter(ctx, bench.FilterOptions{
		Works: *works, Queries: *queries, Seed: *seed, Data: *data, DB: *db, SQLForm: *form,
		Progress: stderr,
	})
	if rep == nil {
		return err
	}
	if *asJSON {
		if jerr := rep.WriteJSON(stdout); jerr != nil {
			return jerr
		}
	} else {
		rep.Text(stdout)
	}
	return err
}

func benchHTTP(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench http", stderr)
	db := fs.String("db", "", "PostgreSQL URL of the archive the nodes serve (fill it first with quire demo --db …)")
	data := fs.String("data", "", "or an SQLite data directory (one node only)")
	nodes := fs.String("nodes", "1,2", "comma-separated node counts to measure")
	conc := fs.Int("concurrency", 8, "readers at once")
	dur := fs.Duration("duration", 10*time.Second, "length of each measurement")
	urls := fs.Int("urls", 200, "distinct filtered listings to cycle through")
	seed := fs.Int64("seed", 1, "seed of the listings")
	asJSON := fs.Bool("json", false, "print one line of JSON")
	wrkScript := fs.String("wrk-script", "", "write the listings as a wrk Lua script to this file and exit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var counts []int
	for _, f := range strings.Split(*nodes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return fmt.Errorf("--nodes %q: expected numbers such as 1,2", *nodes)
		}
		counts = append(counts, n)
	}
	bin, err := os.Executable()
	if err != nil {
		return err
	}
	sf := storeFlags{db: *db, data: *data}
	if *db == "" && *data == "" {
		return errors.New("name the archive with --db postgres://… (or --data DIR for one SQLite node)")
	}
	if *db == "" {
		if err := sf.requireArchive(); err != nil {
			return err
		}
	}
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if *wrkScript != "" {
		f, err := os.OpenFile(*wrkScript, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		if err := bench.WriteWrkScript(ctx, st, *urls, *seed, f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	rep, err := bench.HTTP(ctx, st, bench.HTTPOptions{Binary: bin, DB: *db, Data: *data, Nodes: counts,
		Concurrency: *conc, Duration: *dur, URLs: *urls, Seed: *seed, Progress: stderr})
	if rep == nil {
		return err
	}
	if *asJSON {
		if jerr := rep.WriteJSON(stdout); jerr != nil {
			return jerr
		}
	} else {
		rep.Text(stdout)
	}
	return err
}
