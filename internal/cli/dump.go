package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"path/filepath"

	"quire/internal/archive"
	"quire/internal/dump"
	"quire/internal/formats/importer"
	"quire/internal/store"
	"quire/internal/store/sqlite"
)

// parseWithArgs parses flags that may come before, between or after the
// positional arguments, and returns the positional ones.
func parseWithArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parse(fs, args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// After "--" everything is positional.
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// requireArchive refuses to work on a --data directory without an archive
// (opening one would create an empty archive as a side effect).
func (s *storeFlags) requireArchive() error {
	if s.db != "" {
		return nil
	}
	if _, err := os.Stat(filepath.Join(s.data, "quire.db")); err != nil {
		return fmt.Errorf("there is no archive in %s (no quire.db); give --data DIR", s.data)
	}
	return nil
}

func exportCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("export", stderr)
	var sf storeFlags
	sf.register(fs)
	format := fs.String("format", "jsonl", "export format (jsonl)")
	out := fs.String("out", "", "write to this file (it must not exist yet) instead of standard output")
	secrets := fs.Bool("with-secrets", false, "include password hashes, API token hashes and feed tokens")
	baseURL := fs.String("base-url", "", "the archive's public URL, prefixed to each work's url")
	pos, err := parseWithArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("export takes no arguments (got %q); write to a file with --out FILE", pos[0])
	}
	if *format != "jsonl" {
		return fmt.Errorf("--format %q: the only export format is jsonl", *format)
	}
	if err := sf.requireArchive(); err != nil {
		return err
	}
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	opts := dump.ExportOptions{WithSecrets: *secrets, BaseURL: *baseURL, Progress: stderr}
	if *out == "" || *out == "-" {
		stats, err := dump.Export(ctx, st, stdout, opts)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		fmt.Fprintf(stderr, "export: %s\n", stats)
		return nil
	}
	// Write beside the target and rename at the end: a failed export
	// leaves no half file under the name asked for.
	if _, err := os.Lstat(*out); err == nil {
		return fmt.Errorf("--out %s already exists; choose another name or remove it first", *out)
	}
	tmp, err := os.CreateTemp(filepath.Dir(*out), "."+filepath.Base(*out)+".*.tmp")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp.Name())
	stats, err := dump.Export(ctx, st, tmp, opts)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Link(tmp.Name(), *out) // fails rather than replace a file made meanwhile
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(stdout, "export: %s to %s\n", stats, *out)
	return nil
}

// detectFormat names the format of a file for --format auto, from its name
// and its first bytes.
func detectFormat(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head, err := io.ReadAll(io.LimitReader(f, importer.DetectBytes))
	if err != nil {
		return "", err
	}
	if len(bytes.TrimSpace(head)) == 0 {
		return "", errors.New("the file is empty")
	}
	return importer.Detect(path, head), nil
}

// importFlags are one import's choices, shared by every file.
type importFlags struct {
	format string
	as     *archive.User // the --as user (nil without --as)
	asName string
	fandom string
	dryRun bool
}

func importCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if isEFictionImport(args) {
		return importEFiction(ctx, args, stdout, stderr) // efiction.go: flags of its own
	}
	fs := newFlags("import", stderr)
	var sf storeFlags
	sf.register(fs)
	format := fs.String("format", "auto", "auto, jsonl, ao3-html, epub, html, markdown, text or efiction (FILE - is standard input, jsonl)")
	as := fs.String("as", "", "the user the imported works belong to (required for every format but jsonl and efiction)")
	fandom := fs.String("fandom", "", `the fandom of works whose files name none (default "Unspecified Fandom")`)
	dryRun := fs.Bool("dry-run", false, "check every file and report, but change nothing")
	files, err := parseWithArgs(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return errors.New("usage: quire import [--format auto|jsonl|ao3-html|epub|html|markdown|text|efiction] [--as USER] [--fandom NAME] [--dry-run] FILE…")
	}
	switch *format {
	case "auto", "jsonl", "ao3-html", "epub", "html", "markdown", "text":
	default:
		return fmt.Errorf("--format %q: expected auto, jsonl, ao3-html, epub, html, markdown, text or efiction", *format)
	}
	if *format == "jsonl" && *as != "" {
		return errors.New("--as does not apply to jsonl: a dump names its own creators")
	}
	if *format != "jsonl" && *format != "auto" && *as == "" {
		return fmt.Errorf("--format %s needs --as USER: the account the imported works will belong to", *format)
	}
	for _, f := range files {
		if f == "-" {
			continue
		}
		fi, err := os.Stat(f)
		if err != nil {
			return fmt.Errorf("%s: %v", f, errors.Unwrap(err))
		}
		if fi.IsDir() {
			return fmt.Errorf("%s is a directory; name the files to import", f)
		}
	}
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	opts := importFlags{format: *format, asName: *as, fandom: *fandom, dryRun: *dryRun}
	if *as != "" {
		u, err := st.UserByName(ctx, *as)
		if errors.Is(err, archive.ErrNotFound) {
			return fmt.Errorf("--as %s: there is no such user (create one with quire user add)", *as)
		}
		if err != nil {
			return err
		}
		opts.as = u
	}
	failed := 0
	for i, path := range files {
		fmt.Fprintf(stderr, "import: file %d of %d: %s\n", i+1, len(files), path)
		msg, err := importFile(ctx, st, path, opts, stderr)
		if err != nil {
			failed++
			fmt.Fprintf(stdout, "%s: not imported: %s\n", path, firstLine(err.Error()))
			if ctx.Err() != nil {
				break
			}
			continue
		}
		fmt.Fprintf(stdout, "%s: %s\n", path, msg)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files not imported (the others landed whole)", failed, len(files))
	}
	return nil
}

// importFile imports one file and says what it made.
func importFile(ctx context.Context, st store.Store, path string, opts importFlags, stderr io.Writer) (string, error) {
	format := opts.format
	if path == "-" {
		if format == "auto" {
			format = "jsonl"
		}
		if format != "jsonl" {
			return "", fmt.Errorf("standard input takes jsonl only; name a file for %s", format)
		}
		stats, err := dump.Import(ctx, st, os.Stdin, dump.ImportOptions{DryRun: opts.dryRun, Progress: stderr, Name: "standard input"})
		return jsonlReport(stats, opts.dryRun), err
	}
	if format == "auto" {
		f, err := detectFormat(path)
		if err != nil {
			return "", err
		}
		format = f
		fmt.Fprintf(stderr, "import: %s: looks like %s\n", path, format)
	}
	switch format {
	case "jsonl":
		if opts.asName != "" {
			return "", errors.New("--as does not apply to jsonl: a dump names its own creators")
		}
		f, err := os.Open(path)
		if err != nil {
			return "", err
		}
		defer f.Close()
		stats, err := dump.Import(ctx, st, f, dump.ImportOptions{DryRun: opts.dryRun, Progress: stderr, Name: path})
		return jsonlReport(stats, opts.dryRun), err
	case "efiction":
		return "", errors.New("this looks like an eFiction MySQL dump; import it with --format efiction")
	}
	if opts.as == nil {
		return "", fmt.Errorf("a %s file needs --as USER: the account the imported work will belong to", format)
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, importer.MaxFileBytes+1))
	if err != nil {
		return "", err
	}
	if len(data) > importer.MaxFileBytes {
		return "", importer.ErrTooLarge
	}
	fmt.Fprintf(stderr, "import: %s: read %d bytes, parsing as %s\n", path, len(data), format)
	// The archive's content policy, as an admin set it (or serve's
	// --refuse-rating): a work with a refused rating is not imported.
	kv, err := st.Settings(ctx)
	if err != nil {
		return "", err
	}
	policy := archive.PolicyFromSettings(kv)
	refuse := func(nw *store.NewWork) error {
		if err := policy.CheckRating(nw.Work); err != nil {
			msg := fmt.Sprintf("the work is rated %s, which this archive does not accept (its content policy, set at /admin/settings or by serve --refuse-rating)", nw.Work.Rating())
			if policy.RefusalMessage != "" {
				msg += ": " + policy.RefusalMessage
			}
			return errors.New(msg)
		}
		return nil
	}
	rep, err := importer.ImportFile(ctx, st, opts.as, path, data,
		importer.FileOptions{Format: format, DryRun: opts.dryRun, Options: importer.Options{Fandom: opts.fandom}, Check: refuse})
	if err != nil {
		return "", err
	}
	if opts.dryRun {
		return rep.String() + " (dry run: nothing written)", nil
	}
	return rep.String(), nil
}

func jsonlReport(stats dump.Stats, dryRun bool) string {
	if dryRun {
		return fmt.Sprintf("would import %s (dry run: nothing written)", stats)
	}
	return stats.String()
}

func backupCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("backup", stderr)
	var sf storeFlags
	sf.register(fs)
	pos, err := parseWithArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("usage: quire backup FILE [--data DIR]")
	}
	file := pos[0]
	if _, err := os.Lstat(file); err == nil {
		return fmt.Errorf("%s already exists; a backup never overwrites a file", file)
	} else if !errors.Is(err, iofs.ErrNotExist) {
		return err
	}
	if err := sf.requireArchive(); err != nil {
		return err
	}
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if st.Engine().Name() == "postgres" {
		err = backupLogical(ctx, st, file, stderr)
	} else {
		err = st.Backup(ctx, file)
	}
	if err != nil {
		return err
	}
	fi, err := os.Stat(file)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup: wrote %s (%d bytes)\n", file, fi.Size())
	return nil
}

func restoreCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("restore", stderr)
	var sf storeFlags
	sf.register(fs)
	pos, err := parseWithArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("usage: quire restore FILE [--data DIR]")
	}
	if sf.db != "" {
		st, err := sf.open(ctx)
		if err != nil {
			return err
		}
		defer st.Close()
		stats, err := restoreLogical(ctx, st, pos[0], stderr)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "restore: %s is now the archive on PostgreSQL (%s)\n", pos[0], stats)
		return nil
	}
	if err := sqlite.Restore(ctx, pos[0], sf.data); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restore: %s is now the archive in %s\n", pos[0], sf.data)
	return nil
}
