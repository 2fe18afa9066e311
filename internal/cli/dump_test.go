package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// oneLineError checks a failed command: exit 1 and one "quire: …" line.
func oneLineError(t *testing.T, code int, stderr, want string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	last := lines[len(lines)-1]
	if code != 1 || !strings.HasPrefix(last, "quire: ") || !strings.Contains(last, want) {
		t.Errorf("exit %d, stderr %q; want 1 and quire: …%s…", code, stderr, want)
	}
}

func TestExportImportBackupRestore(t *testing.T) {
	tmp := t.TempDir()
	src, dst, restored := filepath.Join(tmp, "src"), filepath.Join(tmp, "dst"), filepath.Join(tmp, "restored")
	if code, _, stderr := run(t, "demo", "--works", "15", "--body-words", "40", "--data", src); code != 0 {
		t.Fatalf("demo: %s", stderr)
	}
	a := filepath.Join(tmp, "a.jsonl")
	code, stdout, stderr := run(t, "export", "--data", src, "--out", a, "--with-secrets")
	if code != 0 || !strings.Contains(stdout, "15 works, 0 comments, 0 kudos, 0 bookmarks") {
		t.Fatalf("export: %d %s %s", code, stdout, stderr)
	}
	// Flags after the file, and a dry run first.
	code, stdout, _ = run(t, "import", a, "--data", dst, "--dry-run")
	if code != 0 || !strings.Contains(stdout, "would import") {
		t.Fatalf("dry run: %d %s", code, stdout)
	}
	code, stdout, stderr = run(t, "import", "--format", "jsonl", "--data", dst, a)
	if code != 0 || !strings.Contains(stdout, a+": ") || !strings.Contains(stdout, "15 works") || !strings.Contains(stderr, "import") {
		t.Fatalf("import: %d %q %q", code, stdout, stderr)
	}
	b := filepath.Join(tmp, "b.jsonl")
	if code, _, stderr := run(t, "export", "--data", dst, "--out", b, "--with-secrets"); code != 0 {
		t.Fatal(stderr)
	}
	ab, _ := os.ReadFile(a)
	bb, _ := os.ReadFile(b)
	if !bytes.Equal(ab, bb) {
		t.Fatal("export → import → export changed the lines")
	}

	// A second import clashes, names the clash, and exits 1; a good file
	// beside it still lands.
	lines := strings.Split(strings.TrimSpace(string(ab)), "\n")
	var onlyTags []string
	for _, l := range lines {
		if strings.HasPrefix(l, `{"type":"tag"`) {
			onlyTags = append(onlyTags, l)
		}
	}
	tagsFile := filepath.Join(tmp, "tags.jsonl")
	os.WriteFile(tagsFile, []byte(strings.Join(onlyTags, "\n")+"\n"), 0o600)
	code, stdout, stderr = run(t, "import", "--data", dst, a, tagsFile)
	if !strings.Contains(stdout, a+": not imported: line ") || !strings.Contains(stdout, "already in this archive") || !strings.Contains(stdout, tagsFile+": 0 users") {
		t.Errorf("report: %q", stdout)
	}
	oneLineError(t, code, stderr, "1 of 2 files not imported")

	// Backup and restore.
	snap := filepath.Join(tmp, "snap.db")
	if code, stdout, stderr := run(t, "backup", snap, "--data", src); code != 0 || !strings.Contains(stdout, "backup: wrote") {
		t.Fatalf("backup: %s %s", stdout, stderr)
	}
	code, _, stderr = run(t, "backup", snap, "--data", src)
	oneLineError(t, code, stderr, "already exists")
	if code, _, stderr := run(t, "restore", snap, "--data", restored); code != 0 {
		t.Fatalf("restore: %s", stderr)
	}
	c := filepath.Join(tmp, "c.jsonl")
	if code, _, stderr := run(t, "export", "--data", restored, "--out", c, "--with-secrets"); code != 0 {
		t.Fatal(stderr)
	}
	cb, _ := os.ReadFile(c)
	if !bytes.Equal(ab, cb) {
		t.Error("the restored archive exports differently")
	}
	code, _, stderr = run(t, "restore", snap, "--data", dst)
	oneLineError(t, code, stderr, "only into an empty archive")
}

func TestDumpCommandsBadInput(t *testing.T) {
	tmp := t.TempDir()
	none := filepath.Join(tmp, "none")
	broken := filepath.Join(tmp, "broken.jsonl")
	os.WriteFile(broken, []byte(`{"type":"tag","name":"A","tag_type":"freeform","canonical":true,"synonym_of":null,"meta":[],"parent_fandoms":[]}`+"\n"+`{"type":"work",`+"\n"), 0o600)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"export", "--data", none}, "no archive in"},
		{[]string{"export", "--data", none, "--format", "csv"}, "only export format is jsonl"},
		{[]string{"export", "extra", "--data", none}, "takes no arguments"},
		{[]string{"import", "--data", none}, "usage: quire import"},
		{[]string{"import", "--data", none, filepath.Join(tmp, "missing.jsonl")}, "no such file"},
		{[]string{"import", "--data", none, "--format", "epub", broken}, "needs --as USER"},
		{[]string{"import", "--data", none, "--format", "xml", broken}, "expected auto, jsonl"},
		{[]string{"import", "--data", filepath.Join(tmp, "arch"), broken}, "1 of 1 files not imported"},
		{[]string{"backup", "--data", none}, "usage: quire backup"},
		{[]string{"backup", filepath.Join(tmp, "x.db"), "--data", none}, "no archive in"},
		{[]string{"restore", filepath.Join(tmp, "missing.db"), "--data", none}, "no such file"},
		{[]string{"restore", broken, "--data", none}, "not"},
	} {
		code, stdout, stderr := run(t, tc.args...)
		oneLineError(t, code, stderr, tc.want)
		if strings.Contains(strings.Join(tc.args, " "), "arch") && !strings.Contains(stdout, "broken.jsonl: not imported: line 2: not valid JSON") {
			t.Errorf("report %q", stdout)
		}
	}
	if _, err := os.Stat(none); err == nil {
		t.Error("a refused command created the data directory")
	}
}

func TestImportEFiction(t *testing.T) {
	tmp := t.TempDir()
	data := filepath.Join(tmp, "data")
	dump := filepath.Join("..", "formats", "efiction", "testdata", "utf8.sql")
	broken := filepath.Join("..", "formats", "efiction", "testdata", "broken.sql")
	rmap := filepath.Join(tmp, "ratings.txt")
	os.WriteFile(rmap, []byte("# the site's own scale\nSparrow = Teen And Up Audiences\n"), 0o600)
	code, stdout, stderr := run(t, "import", "--format", "efiction", "--data", data, "--dry-run", dump)
	if code != 0 || !strings.Contains(stdout, "would import 3 users, 3 works") {
		t.Fatalf("dry run: %d %q %q", code, stdout, stderr)
	}
	code, stdout, stderr = run(t, "import", "--format=efiction", "--strict", "--rating-map", rmap, "--url-prefix", "/fanfiction", "--data", data, dump, broken)
	if !strings.Contains(stdout, dump+": 3 users, 3 works (1 drafts)") || !strings.Contains(stdout, "rating Sparrow → Teen And Up Audiences (--rating-map)") ||
		!strings.Contains(stdout, broken+": not imported: story 2 (Orphan Story)") || !strings.Contains(stderr, "efiction: 3 accounts") {
		t.Errorf("report: %q %q", stdout, stderr)
	}
	oneLineError(t, code, stderr, "1 of 2 files not imported")
	code, stdout, _ = run(t, "export", "--data", data)
	if code != 0 || !strings.Contains(stdout, `{"type":"redirect","from":"/fanfiction/viewstory.php?sid=10","to":"/works/1"}`) || strings.Contains(stdout, "Orphan Story") {
		t.Errorf("export after import: %q", stdout)
	}
	// Without --strict the broken dump's good story lands and the bad
	// one is named.
	other := filepath.Join(tmp, "other")
	code, stdout, stderr = run(t, "import", "--format", "efiction", "--data", other, broken)
	if code != 0 || !strings.Contains(stdout, broken+": 1 users, 1 works (0 drafts), 1 chapters, 0 series, 0 comments, 3 redirects, 1 rows skipped") ||
		!strings.Contains(stdout, broken+": skipped story 2 (Orphan Story): its author 99 is not in the authors table") {
		t.Errorf("import without --strict: %d %q %q", code, stdout, stderr)
	}
}
