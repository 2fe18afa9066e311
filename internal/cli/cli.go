// Package cli is the quire command line: it parses flags (each with a
// QUIRE_* environment fallback), wires the parts and runs a command.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"quire/internal/store/postgres"
	"quire/internal/store/sqlite"
	"quire/internal/store/sqlstore"
)

// Run executes the command line and returns the process exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = serve(ctx, args[1:], stdout, stderr)
	case "demo":
		err = demoCmd(ctx, args[1:], stdout, stderr)
	case "user":
		err = userCmd(ctx, args[1:], stdout, stderr)
	case "token":
		err = tokenCmd(ctx, args[1:], stdout, stderr)
	case "bench":
		err = benchCmd(ctx, args[1:], stdout, stderr)
	case "import":
		err = importCmd(ctx, args[1:], stdout, stderr)
	case "export":
		err = exportCmd(ctx, args[1:], stdout, stderr)
	case "backup":
		err = backupCmd(ctx, args[1:], stdout, stderr)
	case "restore":
		err = restoreCmd(ctx, args[1:], stdout, stderr)
	case "i18n":
		err = i18nCmd(args[1:], stdout, stderr)
	case "digest":
		err = digestCmd(ctx, args[1:], stdout, stderr)
	case "reindex":
		err = reindexCmd(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		usage(stdout)
		return 0
	default:
		err = fmt.Errorf("unknown command %q; run \"quire help\" for the list", args[0])
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "quire: "+firstLine(err.Error()))
		return 1
	}
	return 0
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage: quire COMMAND [flags]

commands:
  serve [--addr 127.0.0.1:8080] [--data DIR] [--smtp URL] [--demo] …   run the archive
  i18n status [--data DIR] [--all]                                    untranslated interface messages per language
  demo --works N [--seed S] [--body-words N]                          fill an empty archive with synthetic works
  user add NAME --email E [--admin] [--wrangler] [--password-file F]  create an account
  user role NAME --add|--remove ROLE                                  give or take admin, moderator or wrangler
  token create NAME                                                   print an API token for a user
  bench filter [--works N] [--queries K] [--seed S] [--json]          compare the listing index with SQL
  bench http --db URL [--nodes 1,2] [--json]                          listings over HTTP through real nodes
  bench traffic [--works N] [--data DIR | --db URL] [--json]          an AO3-shaped mix of reads and writes
  bench matching [--signups N] [--seed S] [--json]                    a Yuletide-shaped gift exchange's matching
  export [--format jsonl] [--out FILE] [--with-secrets]               the archive's complete logical dump
  import [--format auto|jsonl] [--dry-run] FILE…                      import files, each whole or not at all
  backup FILE                                                         a consistent snapshot of the running archive
  restore FILE                                                        put a backup in place (empty archive only)
  digest --now [--smtp URL]                                           queue the saved-search digests due now (once per reader and period)
  reindex                                                             rebuild every work's full-text row (after an upgrade of the tokenizer)

Every command that works on an archive takes --data DIR (default ./quire-data).
Every flag also reads QUIRE_<FLAG> from the environment (QUIRE_DATA, QUIRE_API_RATE_LIMIT, …).
Run "quire COMMAND -h" for a command's flags.
`)
}

// newFlags makes a flag set whose errors are returned, not printed twice.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("quire "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parse parses args, then fills every flag not given on the command line
// from QUIRE_<NAME> (dashes become underscores).
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] || err != nil {
			return
		}
		env := "QUIRE_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("%s=%q: %v", env, v, e)
			}
		}
	})
	return err
}

// storeFlags are the flags every archive command takes.
type storeFlags struct {
	data string
	db   string
}

func (s *storeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.data, "data", "./quire-data", "directory for the SQLite file and everything else on disk")
	fs.StringVar(&s.db, "db", "", "database URL (postgres://…); empty = SQLite under --data")
}

func (s *storeFlags) open(ctx context.Context) (*sqlstore.Store, error) {
	if s.db != "" {
		if !postgres.IsURL(s.db) {
			return nil, fmt.Errorf("--db %q: expected a postgres:// URL", s.db)
		}
		st, err := postgres.Open(ctx, s.db)
		if err != nil {
			return nil, fmt.Errorf("open archive on PostgreSQL: %w", err)
		}
		return st, nil
	}
	st, err := sqlite.Open(ctx, s.data)
	if err != nil {
		return nil, fmt.Errorf("open archive in %s: %w", s.data, err)
	}
	return st, nil
}
