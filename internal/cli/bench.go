package cli

import (
	"context"
	"errors"
	"io"

	"quire/internal/bench"
)

func benchCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "filter" {
		return errors.New("usage: quire bench filter [--works N] [--queries K] [--seed S] [--data DIR] [--db URL] [--json]")
	}
	fs := newFlags("bench filter", stderr)
	works := fs.Int("works", 100000, "number of works in the bench archive")
	queries := fs.Int("queries", 1000, "number of queries to run through each engine")
	seed := fs.Int64("seed", 1, "seed of the archive and the queries")
	data := fs.String("data", "", "directory of the bench archive, reused when it holds --works works (default ./quire-bench/N)")
	db := fs.String("db", "", "PostgreSQL URL to benchmark as well")
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
