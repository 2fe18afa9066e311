package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"path/filepath"
	"strings"

	"quire/internal/dump"
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
	secrets := fs.Bool("with-secrets", false, "include password hashes and API token hashes")
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

// detectFormat names the format of a file for --format auto.
func detectFormat(path string) (string, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jsonl", ".ndjson":
		return "jsonl", nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	for {
		b, err := br.ReadByte()
		if err != nil {
			return "", errors.New("can't tell the file's format; name it with --format")
		}
		switch b {
		case ' ', '\t', '\r', '\n':
			continue
		case '{':
			return "jsonl", nil
		}
		return "", errors.New("can't tell the file's format; name it with --format")
	}
}

func importCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if isEFictionImport(args) {
		return importEFiction(ctx, args, stdout, stderr) // efiction.go: flags of its own
	}
	fs := newFlags("import", stderr)
	var sf storeFlags
	sf.register(fs)
	format := fs.String("format", "auto", "auto, jsonl, ao3-html, epub, html, markdown, text or efiction (FILE - is standard input, jsonl)")
	as := fs.String("as", "", "the user the imported works belong to (formats other than jsonl)")
	dryRun := fs.Bool("dry-run", false, "check every file and report, but change nothing")
	files, err := parseWithArgs(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return errors.New("usage: quire import [--format auto|jsonl|…] [--dry-run] FILE…")
	}
	switch *format {
	case "auto", "jsonl":
	case "ao3-html", "epub", "html", "markdown", "text":
		return fmt.Errorf("--format %s is not available in this version of quire yet", *format)
	default:
		return fmt.Errorf("--format %q: expected auto, jsonl, ao3-html, epub, html, markdown, text or efiction", *format)
	}
	if *format == "jsonl" && *as != "" {
		return errors.New("--as does not apply to jsonl: a dump names its own creators")
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
	failed := 0
	var total dump.Stats
	for _, path := range files {
		stats, err := importFile(ctx, st, path, *format, *as, *dryRun, stderr)
		if err != nil {
			failed++
			fmt.Fprintf(stdout, "%s: not imported: %s\n", path, firstLine(err.Error()))
			if ctx.Err() != nil {
				break
			}
			continue
		}
		total.Add(stats)
		if *dryRun {
			fmt.Fprintf(stdout, "%s: would import %s (dry run: nothing written)\n", path, stats)
		} else {
			fmt.Fprintf(stdout, "%s: %s\n", path, stats)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files not imported (the others landed whole)", failed, len(files))
	}
	return nil
}

func importFile(ctx context.Context, st store.Dumps, path, format, as string, dryRun bool, stderr io.Writer) (dump.Stats, error) {
	if path == "-" {
		if format == "auto" {
			format = "jsonl"
		}
		if format != "jsonl" {
			return dump.Stats{}, fmt.Errorf("%s files can't be imported by this version of quire yet", format)
		}
		return dump.Import(ctx, st, os.Stdin, dump.ImportOptions{DryRun: dryRun, Progress: stderr, Name: "standard input"})
	}
	if format == "auto" {
		f, err := detectFormat(path)
		if err != nil {
			return dump.Stats{}, err
		}
		format = f
	}
	if format != "jsonl" {
		return dump.Stats{}, fmt.Errorf("%s files can't be imported by this version of quire yet", format)
	}
	if as != "" {
		return dump.Stats{}, errors.New("--as does not apply to jsonl: a dump names its own creators")
	}
	f, err := os.Open(path)
	if err != nil {
		return dump.Stats{}, err
	}
	defer f.Close()
	return dump.Import(ctx, st, f, dump.ImportOptions{DryRun: dryRun, Progress: stderr, Name: path})
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
	if err := st.Backup(ctx, file); err != nil {
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
		return errors.New("restore puts an SQLite backup in place under --data; for PostgreSQL, export and import instead")
	}
	if err := sqlite.Restore(ctx, pos[0], sf.data); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restore: %s is now the archive in %s\n", pos[0], sf.data)
	return nil
}
