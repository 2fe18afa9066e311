package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func copyFixture(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "formats", "importer", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportWorkFormats(t *testing.T) {
	tmp := t.TempDir()
	data := filepath.Join(tmp, "archive")
	if code, _, stderr := run(t, "user", "add", "wren", "--email", "wren@example.org", "--data", data); code != 0 {
		t.Fatal(stderr)
	}
	ao3 := copyFixture(t, tmp, "ao3_multi.html")
	txt := copyFixture(t, tmp, "legacy_prose.txt")
	md := copyFixture(t, tmp, "story.md")
	broken := filepath.Join(tmp, "broken.epub")
	os.WriteFile(broken, []byte("not a zip at all"), 0o600)
	sql := filepath.Join(tmp, "site.sql")
	os.WriteFile(sql, []byte("CREATE TABLE `fanfiction_stories` (sid int);\n"), 0o600)

	// --as is required for these formats, and must name an account.
	code, _, stderr := run(t, "import", "--format", "text", "--data", data, txt)
	oneLineError(t, code, stderr, "needs --as USER")
	code, _, stderr = run(t, "import", "--as", "nobody", "--data", data, txt)
	oneLineError(t, code, stderr, "no such user")
	code, stdout, _ := run(t, "import", "--data", data, txt)
	if code != 1 || !strings.Contains(stdout, "needs --as USER") {
		t.Errorf("auto without --as: %d %q", code, stdout)
	}

	// A dry run reports and writes nothing.
	code, stdout, stderr = run(t, "import", "--as", "wren", "--dry-run", "--data", data, ao3, txt)
	if code != 0 || strings.Count(stdout, "would import") != 2 || !strings.Contains(stdout, "dry run: nothing written") {
		t.Fatalf("dry run: %d %q %q", code, stdout, stderr)
	}
	// Good files land, the broken one and the eFiction dump (through auto)
	// say why not, and the exit status says some failed.
	code, stdout, stderr = run(t, "import", "--as", "wren", "--fandom", "Ferry Tales", "--data", data, ao3, broken, txt, md, sql)
	if code != 1 || !strings.Contains(stderr, "2 of 5 files not imported") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	for _, want := range []string{
		ao3 + `: imported work 1 "The Lamplighter's Ledger" (ao3-html, 3 chapters`,
		broken + ": not imported: not an EPUB",
		txt + `: imported work 2 "Legacy prose" (text, 3 chapters`,
		md + `: imported work 3 "The Cartographer's Cat" (markdown, 2 chapters`,
		sql + ": not imported: this looks like an eFiction MySQL dump",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("report lacks %q:\n%s", want, stdout)
		}
	}
	if !strings.Contains(stderr, "import: file 2 of 5") || !strings.Contains(stderr, "looks like ao3-html") {
		t.Errorf("progress: %q", stderr)
	}
	// What landed is in the export, with the file's dates.
	code, stdout, _ = run(t, "export", "--data", data)
	if code != 0 || strings.Count(stdout, `"type":"work"`) != 3 || !strings.Contains(stdout, `"posted_at":"2019-03-04T00:00:00Z"`) ||
		!strings.Contains(stdout, "Ferry Tales") {
		t.Errorf("export after import: %s", stdout)
	}
}

// The archive's refused ratings apply to works imported from files on the
// command line: each refused file gets its own line saying why, the
// others land, and nothing of a refused file is written.
func TestImportFromFilesMeetsTheRatingPolicy(t *testing.T) {
	tmp := t.TempDir()
	data := filepath.Join(tmp, "archive")
	if code, _, stderr := run(t, "user", "add", "wren", "--email", "wren@example.org", "--data", data); code != 0 {
		t.Fatal(stderr)
	}
	var sf storeFlags
	sf.data = data
	st, err := sf.open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	err = st.SetSettings(context.Background(), map[string]string{"refuse_ratings": "Teen And Up Audiences\nExplicit", "refusal_message": "We keep this archive for younger readers."})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	ao3 := copyFixture(t, tmp, "ao3_multi.html")  // rated Teen And Up Audiences
	md := copyFixture(t, tmp, "legacy_prose.txt") // not rated
	for _, dry := range []bool{true, false} {
		args := []string{"import", "--as", "wren", "--data", data, ao3, md}
		if dry {
			args = append(args, "--dry-run")
		}
		code, stdout, stderr := run(t, args...)
		want := ao3 + ": not imported: the work is rated Teen And Up Audiences, which this archive does not accept (its content policy, set at /admin/settings or by serve --refuse-rating): We keep this archive for younger readers.\n"
		if code != 1 || !strings.Contains(stdout, want) || !strings.Contains(stdout, md+": ") || strings.Contains(stdout, md+": not imported") ||
			!strings.Contains(stderr, "1 of 2 files not imported") {
			t.Errorf("dry run %v: exit %d\nstdout %q\nstderr %q", dry, code, stdout, stderr)
		}
	}
	code, stdout, _ := run(t, "export", "--data", data)
	if code != 0 || strings.Count(stdout, `"type":"work"`) != 1 || strings.Contains(stdout, "Lamplighter") {
		t.Errorf("export after the import: %s", stdout)
	}
}
