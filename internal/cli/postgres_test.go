package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"quire/internal/store/testdb"
)

// Moving an archive from SQLite to PostgreSQL is export + import (the
// operator guide's path), and backup/restore on PostgreSQL is the logical
// dump read from one snapshot: every step gives back the same lines.
func TestSQLiteToPostgresAndBackup(t *testing.T) {
	if testdb.PostgresURL() == "" {
		t.Skip("QUIRE_TEST_POSTGRES is not set")
	}
	tmp := t.TempDir()
	src := filepath.Join(tmp, "src")
	if code, _, stderr := run(t, "demo", "--works", "12", "--body-words", "30", "--data", src); code != 0 {
		t.Fatalf("demo: %s", stderr)
	}
	a := filepath.Join(tmp, "a.jsonl")
	if code, _, stderr := run(t, "export", "--data", src, "--out", a, "--with-secrets"); code != 0 {
		t.Fatal(stderr)
	}
	pg := testdb.Schema(t, testdb.PostgresURL())
	if code, stdout, stderr := run(t, "import", "--format", "jsonl", "--db", pg, a); code != 0 || !strings.Contains(stdout, "12 works") {
		t.Fatalf("import into PostgreSQL: %d %s %s", code, stdout, stderr)
	}
	b := filepath.Join(tmp, "b.jsonl")
	if code, _, stderr := run(t, "export", "--db", pg, "--out", b, "--with-secrets"); code != 0 {
		t.Fatal(stderr)
	}
	ab, _ := os.ReadFile(a)
	bb, _ := os.ReadFile(b)
	if !bytes.Equal(ab, bb) {
		t.Fatal("SQLite export → PostgreSQL import → export changed the lines")
	}

	snap := filepath.Join(tmp, "snap.jsonl")
	if code, stdout, stderr := run(t, "backup", snap, "--db", pg); code != 0 || !strings.Contains(stdout, "backup: wrote") {
		t.Fatalf("backup: %s %s", stdout, stderr)
	}
	code, _, stderr := run(t, "backup", snap, "--db", pg)
	oneLineError(t, code, stderr, "already exists")
	code, _, stderr = run(t, "restore", snap, "--db", pg)
	oneLineError(t, code, stderr, "only into an empty archive")

	fresh := testdb.Schema(t, testdb.PostgresURL())
	if code, _, stderr := run(t, "restore", snap, "--db", fresh); code != 0 {
		t.Fatalf("restore: %s", stderr)
	}
	c := filepath.Join(tmp, "c.jsonl")
	if code, _, stderr := run(t, "export", "--db", fresh, "--out", c, "--with-secrets"); code != 0 {
		t.Fatal(stderr)
	}
	cb, _ := os.ReadFile(c)
	if !bytes.Equal(ab, cb) {
		t.Error("the restored PostgreSQL archive exports differently")
	}
	// New rows after a restore get fresh ids (the sequences moved past
	// the dump's ids).
	pw := filepath.Join(tmp, "pw")
	os.WriteFile(pw, []byte("correct horse battery staple\n"), 0o600)
	if code, _, stderr := run(t, "user", "add", "newcomer", "--email", "newcomer@example.test", "--password-file", pw, "--db", fresh); code != 0 {
		t.Errorf("adding an account after the restore: %s", stderr)
	}
}
