package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"quire/internal/store/testdb"
)

// quire reindex rewrites every work's row with progress, on both engines,
// and running it again gives the same result (the aged-row case is in the
// store suite: TestStore/ReindexCJK).
func TestReindexCommand(t *testing.T) {
	engines := [][]string{{"--data", filepath.Join(t.TempDir(), "a")}}
	if testdb.PostgresURL() != "" {
		engines = append(engines, []string{"--db", testdb.Schema(t, testdb.PostgresURL())})
	}
	for _, where := range engines {
		if code, _, stderr := run(t, append([]string{"demo", "--works", "7", "--body-words", "20"}, where...)...); code != 0 {
			t.Fatalf("demo: %s", stderr)
		}
		for i := 0; i < 2; i++ {
			code, stdout, stderr := run(t, append([]string{"reindex"}, where...)...)
			if code != 0 || !strings.Contains(stdout, "reindex: 7 works") || !strings.Contains(stderr, "reindex: 7/7 works") {
				t.Fatalf("%v run %d: %d %q %q", where, i+1, code, stdout, stderr)
			}
		}
		code, _, stderr := run(t, append([]string{"reindex", "extra"}, where...)...)
		oneLineError(t, code, stderr, "usage: quire reindex")
	}
	code, _, stderr := run(t, "reindex", "--db", "mysql://nope")
	oneLineError(t, code, stderr, "expected a postgres:// URL")
}
