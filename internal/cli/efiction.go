package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"quire/internal/formats/efiction"
)

// isEFictionImport reports whether import's arguments ask for
// --format efiction (which has flags of its own).
func isEFictionImport(args []string) bool {
	for i, a := range args {
		if a == "--" {
			return false
		}
		switch {
		case a == "--format=efiction" || a == "-format=efiction":
			return true
		case (a == "--format" || a == "-format") && i+1 < len(args) && args[i+1] == "efiction":
			return true
		}
	}
	return false
}

// importEFiction is `quire import --format efiction FILE…`: each file is an
// eFiction 3.x MySQL dump that lands in one transaction or not at all: its
// valid rows, the others named in the report (or, with --strict, whole).
func importEFiction(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("import", stderr)
	var sf storeFlags
	sf.register(fs)
	fs.String("format", "efiction", "efiction")
	dryRun := fs.Bool("dry-run", false, "check every file and report, but change nothing")
	charset := fs.String("charset", "auto", "the dump's character set: auto (UTF-8 if valid, else latin1), utf8 or latin1")
	prefix := fs.String("table-prefix", "", "the eFiction tables' prefix, such as fanfiction_ (default: found in the dump)")
	ratingMap := fs.String("rating-map", "", `a file of "eFiction rating = Quire rating" lines, applied before the built-in table`)
	urlPrefix := fs.String("url-prefix", "", "the path the eFiction site lived under (/fanfiction), for the redirects of its old URLs")
	fandom := fs.String("fandom", "Unspecified Fandom", "the fandom of stories with no category")
	language := fs.String("language", "en", "the works' language (eFiction records none)")
	storiesDir := fs.String("stories", "", "the eFiction stories directory, for a site that kept chapters in files (DIR/uid/chapid.txt)")
	strict := fs.Bool("strict", false, "refuse a whole dump at its first row that cannot be imported (default: skip such rows and name each)")
	as := fs.String("as", "", "not used by efiction: a dump names its own authors")
	files, err := parseWithArgs(fs, args)
	if err != nil {
		return err
	}
	if *as != "" {
		return errors.New("--as does not apply to efiction: a dump names its own authors")
	}
	if len(files) == 0 {
		return errors.New("usage: quire import --format efiction [--dry-run] [--strict] [--rating-map FILE] [--url-prefix /PATH] FILE…")
	}
	opts := efiction.Options{DryRun: *dryRun, Charset: *charset, URLPrefix: *urlPrefix, Fandom: *fandom, Language: *language,
		StoriesDir: *storiesDir, Progress: stderr, Strict: *strict}
	flagSet := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { flagSet[f.Name] = true })
	if flagSet["table-prefix"] {
		opts.TablePrefix = prefix
	}
	if *urlPrefix != "" && !strings.HasPrefix(*urlPrefix, "/") {
		return fmt.Errorf("--url-prefix %q: a path starting with /", *urlPrefix)
	}
	if *ratingMap != "" {
		f, err := os.Open(*ratingMap)
		if err != nil {
			return fmt.Errorf("--rating-map: %v", err)
		}
		m, err := efiction.ReadRatingMap(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("--rating-map %s: %v", *ratingMap, err)
		}
		opts.RatingMap = m
	}
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			return fmt.Errorf("%s: %v", f, errors.Unwrap(err))
		}
		if fi.IsDir() {
			return fmt.Errorf("%s is a directory; name the dump files to import", f)
		}
	}
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	failed := 0
	for _, path := range files {
		fmt.Fprintf(stderr, "efiction: reading %s\n", path)
		d, err := efiction.ReadFile(path, *charset)
		var rep efiction.Report
		if err == nil {
			rep, err = efiction.Import(ctx, st, d, opts)
		}
		if err != nil {
			failed++
			fmt.Fprintf(stdout, "%s: not imported: %s\n", path, firstLine(err.Error()))
			if ctx.Err() != nil {
				break
			}
			continue
		}
		if *dryRun {
			fmt.Fprintf(stdout, "%s: would import %s (dry run: nothing written)\n", path, rep)
		} else {
			fmt.Fprintf(stdout, "%s: %s\n", path, rep)
		}
		for _, r := range rep.Ratings {
			fmt.Fprintf(stdout, "%s: rating %s\n", path, r)
		}
		for _, r := range rep.Renamed {
			fmt.Fprintf(stdout, "%s: account %s\n", path, r)
		}
		for _, r := range rep.Skipped {
			fmt.Fprintf(stdout, "%s: skipped %s\n", path, r)
		}
		if len(rep.NoEmail) > 0 {
			fmt.Fprintf(stdout, "%s: no usable e-mail (placeholder given; set one before they can reset a password): %s\n", path, strings.Join(rep.NoEmail, ", "))
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files not imported (the others landed whole)", failed, len(files))
	}
	return nil
}
