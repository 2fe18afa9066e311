package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"quire/internal/bench"
	"quire/internal/store"
)

func benchCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "http" {
		return benchHTTP(ctx, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "traffic" {
		return benchTraffic(ctx, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "matching" {
		return benchMatching(args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "filter" {
		return errors.New("usage: quire bench filter [--works N] [--queries K] [--seed S] [--data DIR] [--db URL] [--json]\n       quire bench http --db URL [--nodes 1,2] [--concurrency C] [--duration D] [--json]\n       quire bench traffic [--works N] [--data DIR | --db URL] [--nodes N] [--url URL] [--concurrency C] [--duration D] [--json]\n       quire bench matching [--signups N] [--seed S] [--reference=false] [--json]")
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

func benchTraffic(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench traffic", stderr)
	works := fs.Int("works", 100000, "works in the bench archive (generated into --data when it is empty)")
	data := fs.String("data", "", "SQLite directory of the bench archive (default ./quire-bench/traffic-N), generated when empty")
	db := fs.String("db", "", "or a PostgreSQL archive, filled first with quire demo --db … (its size is what it holds)")
	bodyWords := fs.Int("body-words", 400, "median chapter length in words of a generated archive")
	target := fs.String("url", "", "measure a node already serving the archive at this URL (start it with --trusted-proxy 127.0.0.1/32) instead of starting nodes")
	nodes := fs.Int("nodes", 1, "nodes to start (more than one: PostgreSQL only)")
	conc := fs.Int("concurrency", 8, "connections, each with one request in flight (keep-alive)")
	dur := fs.Duration("duration", 30*time.Second, "length of the measurement")
	warm := fs.Duration("warmup", 5*time.Second, "traffic before measuring, not counted")
	visitors := fs.Int("visitors", 800, "distinct visitors, each with its cookies and address; a quarter are logged in")
	chapterEvery := fs.Duration("chapter-every", 3*time.Second, "a creator posts a chapter this often (0 = never)")
	seed := fs.Int64("seed", 1, "seed of the archive and of the traffic")
	asJSON := fs.Bool("json", false, "print one line of JSON")
	wrkScript := fs.String("wrk-script", "", "write the read part of the mix as a wrk Lua script to this file and exit")
	wrkN := fs.Int("wrk-requests", 20000, "requests drawn into the wrk script")
	profile := fs.String("profile", "", "save the first node's CPU profile of the measurement and its allocs, heap, mutex and block profiles in this directory (starts it with serve --pprof)")
	fs.Usage = func() {
		fmt.Fprint(stderr, "usage: quire bench traffic [flags]\n\nReplays an AO3-shaped mix of reads and writes over keep-alive HTTP and reports requests/s,\np50/p95/p99 and errors per kind, writes acknowledged and the nodes' CPU and memory.\n\nThe mix (per request):\n")
		fmt.Fprint(stderr, bench.MixText())
		fmt.Fprint(stderr, "\nflags:\n")
		fs.PrintDefaults()
	}
	// No QUIRE_* fallbacks: QUIRE_DATA and QUIRE_DB name the real archive,
	// and the bench adds readers, kudos and comments to what it measures.
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if *works < 1 || *bodyWords < 1 {
		return errors.New("--works and --body-words must be positive")
	}
	if *db != "" && *data != "" {
		return errors.New("give --data or --db, not both")
	}
	var st store.Store
	if *db != "" {
		sf := storeFlags{db: *db}
		s, err := sf.open(ctx)
		if err != nil {
			return err
		}
		st = s
	} else {
		if *data == "" {
			*data = filepath.Join("quire-bench", "traffic-"+strconv.Itoa(*works))
		}
		s, err := bench.OpenTrafficArchive(ctx, *data, *works, *seed, *bodyWords, stderr)
		if err != nil {
			return err
		}
		st = s
	}
	defer st.Close()
	if *wrkScript != "" {
		f, err := os.OpenFile(*wrkScript, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		if err := bench.WriteTrafficWrkScript(ctx, st, *wrkN, *seed, f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	bin, err := os.Executable()
	if err != nil {
		return err
	}
	rep, err := bench.Traffic(ctx, st, bench.TrafficOptions{Binary: bin, DB: *db, Data: *data, URL: *target, Nodes: *nodes,
		Concurrency: *conc, Duration: *dur, Warmup: *warm, Visitors: *visitors, ChapterEach: *chapterEvery, Seed: *seed, ProfileDir: *profile, Progress: stderr})
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

// benchMatching times a gift exchange's matching on a generated
// Yuletide-shaped exchange (no archive: the sign-ups are made in memory).
func benchMatching(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench matching", stderr)
	signups := fs.Int("signups", 5000, "sign-ups in the generated exchange")
	seed := fs.Uint64("seed", 1, "seed of the generated exchange")
	reference := fs.Bool("reference", true, "also compute the reference maximum (plain augmenting paths) and check the size")
	asJSON := fs.Bool("json", false, "print one line of JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	rep, err := bench.Matching(bench.MatchingOptions{Signups: *signups, Seed: *seed, Reference: *reference, Progress: stderr})
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
