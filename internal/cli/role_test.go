package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"quire/internal/archive"
	"quire/internal/store"
)

func TestUserRole(t *testing.T) {
	data := t.TempDir()
	pw := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pw, []byte("a long enough password\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, a := range [][]string{
		{"user", "add", "boss", "--email", "boss@example.test", "--admin", "--password-file", pw, "--data", data},
		{"user", "add", "helper", "--email", "helper@example.test", "--password-file", pw, "--data", data},
	} {
		if code, _, stderr := run(t, a...); code != 0 {
			t.Fatalf("%v: %s", a, stderr)
		}
	}
	code, stdout, stderr := run(t, "user", "role", "helper", "--add", "moderator", "--data", data)
	if code != 0 || !strings.Contains(stdout, "helper now has roles: moderator") {
		t.Fatalf("add moderator: %d %q %q", code, stdout, stderr)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"user", "role", "boss", "--remove", "admin", "--data", data}, "last admin"},
		{[]string{"user", "role", "helper", "--add", "overlord", "--data", data}, "not a role"},
		{[]string{"user", "role", "nobody", "--add", "moderator", "--data", data}, "no user named"},
		{[]string{"user", "role", "helper", "--data", data}, "usage"},
		{[]string{"user", "role", "helper", "--add", "wrangler", "--remove", "moderator", "--data", data}, "usage"},
		{[]string{"user", "role", "--add", "wrangler", "--data", data}, "usage"},
	} {
		code, _, stderr := run(t, tc.args...)
		oneLineError(t, code, stderr, tc.want)
	}
	code, stdout, _ = run(t, "user", "role", "helper", "--remove", "moderator", "--reason", "stepped down", "--data", data)
	if code != 0 || !strings.Contains(stdout, "helper now has no roles") {
		t.Fatalf("remove: %d %q", code, stdout)
	}
	// Both changes, and nothing of the refused ones, are in the audit log.
	var sf storeFlags
	sf.data = data
	st, err := sf.open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	es, total, err := st.AuditLog(context.Background(), store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if total != 2 || es[0].Action != archive.AuditRemoveRole || es[0].Reason != "moderator: stepped down" || es[1].Actor != "console" {
		t.Fatalf("audit log: %+v", es)
	}
}
