package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// cliStderrLines splits stderr into lines, dropping a trailing empty one.
func cliStderrLines(s string) []string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// cliWantOneLineError checks SPEC "Every command prints a clear error and
// exits non-zero on bad input": exit 1, stderr one line "quire: …"
// containing every string of want.
func cliWantOneLineError(t *testing.T, r cliResult, want ...string) {
	t.Helper()
	if r.Code != 1 {
		t.Errorf("exit code %d, want 1\nstderr: %s", r.Code, r.Stderr)
	}
	lines := cliStderrLines(r.Stderr)
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "quire: ") {
		t.Errorf("stderr is %q, want exactly one line starting with \"quire: \"", r.Stderr)
		return
	}
	for _, w := range want {
		if !strings.Contains(lines[0], w) {
			t.Errorf("error %q does not mention %q", lines[0], w)
		}
	}
}

// cliWorkTitles reads the works' titles straight from the SQLite file.
func cliWorkTitles(t *testing.T, data string) []string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "quire.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT title FROM works ORDER BY id`)
	if err != nil {
		t.Fatalf("reading %s: %v", data, err)
	}
	defer rows.Close()
	var titles []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		titles = append(titles, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return titles
}

// cliCount runs one COUNT query on the archive in data.
func cliCount(t *testing.T, data, query string, args ...any) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "quire.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// TestCLIErrors runs the binary on bad input: every case exits non-zero
// with one clear line on stderr, and changes nothing.
func TestCLIErrors(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	addWriterForCLI(t, data, "writer", "w@example.test")
	pw := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(pw, []byte("another fine password\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want []string // substrings of the one-line error
	}{
		{"demo without --works", []string{"demo", "--data", data}, []string{"--works must be a positive number"}},
		{"demo with --works 0", []string{"demo", "--works", "0", "--data", data}, []string{"--works must be a positive number"}},
		{"user add with a bad email", []string{"user", "add", "someone", "--email", "not-an-email", "--password-file", pw, "--data", data}, []string{"not-an-email"}},
		{"user add with a bad email, no password", []string{"user", "add", "someone", "--email", "bad@@x", "--data", data}, []string{"bad@@x"}},
		{"user add duplicate name", []string{"user", "add", "writer", "--email", "other@example.test", "--password-file", pw, "--data", data}, []string{"writer"}},
		{"user add duplicate email", []string{"user", "add", "writer2", "--email", "w@example.test", "--password-file", pw, "--data", data}, []string{"e-mail"}},
		{"user add missing password file", []string{"user", "add", "writer3", "--email", "w3@example.test", "--password-file", filepath.Join(data, "nope"), "--data", data}, []string{"password file"}},
		{"user without subcommand", []string{"user"}, []string{"usage"}},
		{"token create nobody", []string{"token", "create", "nobody", "--data", data}, []string{"there is no user named", "nobody"}},
		{"token without subcommand", []string{"token", "list"}, []string{"usage"}},
		{"serve --db postgres", []string{"serve", "--db", "postgres://x", "--addr", "127.0.0.1:0"}, nil},
		{"serve --db other scheme", []string{"serve", "--db", "mysql://x", "--addr", "127.0.0.1:0"}, []string{"--db"}},
		{"serve --trusted-proxy nonsense", []string{"serve", "--trusted-proxy", "nonsense", "--addr", "127.0.0.1:0", "--data", data}, []string{"--trusted-proxy", "nonsense"}},
		{"serve with an argument", []string{"serve", "extra", "--data", data}, []string{"extra"}},
		{"serve --job-lock too short", []string{"serve", "--job-lock", "1s", "--addr", "127.0.0.1:0", "--data", data}, []string{"--job-lock", "at least 2s"}},
		{"import a missing file", []string{"import", "--data", data, filepath.Join(data, "missing.jsonl")}, []string{"missing.jsonl"}},
		{"export with no archive", []string{"export", "--data", filepath.Join(data, "none")}, []string{"no archive"}},
		{"digest without --now", []string{"digest", "--data", data}, []string{"--now"}},
		{"digest with an argument", []string{"digest", "--now", "extra", "--data", data}, []string{"extra"}},
		{"digest with a bad --smtp", []string{"digest", "--now", "--smtp", "ftp://mail.test", "--data", data}, []string{"--smtp"}},
		{"backup with no archive", []string{"backup", "--data", filepath.Join(data, "none"), filepath.Join(data, "b.db")}, []string{"no archive"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cliWantOneLineError(t, runQuireForCLI(t, nil, tc.args...), tc.want...)
		})
	}
	// Nothing of the failed commands landed.
	if n := cliCount(t, data, `SELECT COUNT(*) FROM users`); n != 1 {
		t.Errorf("the archive has %d users after the failed commands, want only the writer", n)
	}
	if n := cliCount(t, data, `SELECT COUNT(*) FROM users WHERE name IN ('someone', 'writer2', 'writer3')`); n != 0 {
		t.Errorf("failed user add created %d users", n)
	}
	if n := cliCount(t, data, `SELECT COUNT(*) FROM works`); n != 0 {
		t.Errorf("failed commands created %d works", n)
	}
}

// TestCLIUsage covers no arguments, help, unknown commands and flag errors.
func TestCLIUsage(t *testing.T) {
	t.Parallel()
	r := runQuireForCLI(t, nil)
	if r.Code == 0 || !strings.Contains(r.Stderr, "usage: quire") {
		t.Errorf("quire with no arguments: exit %d, stderr %q; want non-zero and usage", r.Code, r.Stderr)
	}
	r = runQuireForCLI(t, nil, "help")
	if r.Code != 0 || !strings.Contains(r.Stdout, "usage: quire") {
		t.Errorf("quire help: exit %d, stdout %q; want 0 and usage", r.Code, r.Stdout)
	}
	// Unknown command: exactly one error line naming it.
	r = runQuireForCLI(t, nil, "frobnicate")
	lines := cliStderrLines(r.Stderr)
	if r.Code != 1 || len(lines) != 1 || !strings.HasPrefix(lines[0], `quire: unknown command "frobnicate"`) {
		t.Errorf("quire frobnicate: exit %d, stderr %q; want 1 and a last line naming the command", r.Code, r.Stderr)
	}
	var errLines int
	for _, l := range lines {
		if strings.HasPrefix(l, "quire: ") {
			errLines++
		}
	}
	if errLines != 1 {
		t.Errorf("quire frobnicate: %d error lines, want 1:\n%s", errLines, r.Stderr)
	}
	// Flag parse errors may print the flag usage; only the exit code counts.
	for _, args := range [][]string{
		{"demo", "--works", "many"},
		{"demo", "--no-such-flag"},
		{"serve", "--api-rate-limit", "lots"},
		{"user", "add", "x", "--email"},
	} {
		if r := runQuireForCLI(t, nil, args...); r.Code == 0 {
			t.Errorf("quire %s: exit 0, want non-zero", strings.Join(args, " "))
		}
	}
	// A bad value in a QUIRE_* variable is an error too.
	if r := runQuireForCLI(t, []string{"QUIRE_WORKS=lots"}, "demo", "--data", t.TempDir()); r.Code == 0 {
		t.Errorf("QUIRE_WORKS=lots quire demo: exit 0, want non-zero")
	}
}

// TestCLIUserAndTokenEnv: QUIRE_DATA stands in for --data.
func TestCLIUserAndTokenEnv(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	pw := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(pw, []byte("correct horse battery staple\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"QUIRE_DATA=" + data}
	if r := runQuireForCLI(t, env, "user", "add", "writer", "--email", "w@example.test", "--password-file", pw); r.Code != 0 {
		t.Fatalf("QUIRE_DATA=D quire user add: exit %d, stderr %q", r.Code, r.Stderr)
	}
	r := runQuireForCLI(t, env, "token", "create", "writer")
	if r.Code != 0 || !strings.HasPrefix(strings.TrimSpace(r.Stdout), "quire_") {
		t.Fatalf("QUIRE_DATA=D quire token create writer: exit %d, stdout %q, stderr %q", r.Code, r.Stdout, r.Stderr)
	}
	if n := cliCount(t, data, `SELECT COUNT(*) FROM users WHERE name = 'writer'`); n != 1 {
		t.Errorf("QUIRE_DATA: the user is not in %s", data)
	}
	if _, err := os.Stat("quire-data"); err == nil {
		t.Errorf("a quire-data directory appeared in the package directory: QUIRE_DATA was ignored")
	}
	// --data wins over QUIRE_DATA.
	other := t.TempDir()
	if r := runQuireForCLI(t, env, "token", "create", "writer", "--data", other); r.Code != 1 || !strings.Contains(r.Stderr, "there is no user named") {
		t.Errorf("--data should override QUIRE_DATA: exit %d, stderr %q", r.Code, r.Stderr)
	}
}

// TestDemoCLI: demo fills an empty archive, shows progress, refuses a
// second run without changing anything, and the same seed gives the same
// archive.
func TestDemoCLI(t *testing.T) {
	t.Parallel()
	d1, d2, d3 := t.TempDir(), t.TempDir(), t.TempDir()
	r := runQuireForCLI(t, nil, "demo", "--works", "30", "--seed", "7", "--data", d1)
	if r.Code != 0 {
		t.Fatalf("quire demo: exit %d, stderr %q", r.Code, r.Stderr)
	}
	if !strings.Contains(r.Stderr, "30/30") {
		t.Errorf("quire demo showed no progress on stderr: %q", r.Stderr)
	}
	first := cliWorkTitles(t, d1)
	if len(first) != 30 {
		t.Fatalf("quire demo --works 30 made %d works", len(first))
	}
	users := cliCount(t, d1, `SELECT COUNT(*) FROM users`)
	chapters := cliCount(t, d1, `SELECT COUNT(*) FROM chapters`)

	r = runQuireForCLI(t, nil, "demo", "--works", "30", "--seed", "7", "--data", d1)
	cliWantOneLineError(t, r, "already has")
	if again := cliWorkTitles(t, d1); !slices.Equal(again, first) {
		t.Errorf("a refused second demo changed the works: %d before, %d after", len(first), len(again))
	}
	if n := cliCount(t, d1, `SELECT COUNT(*) FROM users`); n != users {
		t.Errorf("a refused second demo changed the users: %d before, %d after", users, n)
	}
	if n := cliCount(t, d1, `SELECT COUNT(*) FROM chapters`); n != chapters {
		t.Errorf("a refused second demo changed the chapters: %d before, %d after", chapters, n)
	}

	// Same seed, fresh directory: the same archive. QUIRE_DATA this time.
	if r := runQuireForCLI(t, []string{"QUIRE_DATA=" + d2}, "demo", "--works", "30", "--seed", "7"); r.Code != 0 {
		t.Fatalf("QUIRE_DATA=D quire demo: exit %d, stderr %q", r.Code, r.Stderr)
	}
	if second := cliWorkTitles(t, d2); !slices.Equal(second, first) {
		t.Errorf("the same seed gave different archives:\n%q\n%q", first, second)
	}
	// Another seed: another archive.
	if r := runQuireForCLI(t, nil, "demo", "--works", "30", "--seed", "8", "--data", d3); r.Code != 0 {
		t.Fatalf("quire demo --seed 8: exit %d, stderr %q", r.Code, r.Stderr)
	}
	if third := cliWorkTitles(t, d3); slices.Equal(third, first) {
		t.Errorf("seeds 7 and 8 gave the same titles")
	}
}

// TestServeDemo: serve --demo fills the empty archive, then serves it.
func TestServeDemo(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	srv := startServerForCLI(t, 45*time.Second, nil, "--data", data, "--demo", "--demo-works", "50")
	client := &http.Client{Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	var list struct {
		Total int `json:"total"`
		Works []struct {
			ID int64 `json:"id"`
		} `json:"works"`
	}
	if status := getJSONForCLI(t, client, srv.URL+"/api/v1/works?per_page=100", "", &list); status != http.StatusOK {
		t.Fatalf("GET /api/v1/works: %d", status)
	}
	if list.Total <= 40 || list.Total > 50 {
		t.Errorf("serve --demo --demo-works 50 lists %d works, want 41..50 (50 minus drafts and restricted)", list.Total)
	}
	t.Logf("serve --demo --demo-works 50: %d works listed for a guest", list.Total)
	if len(list.Works) != list.Total {
		t.Errorf("the listing has %d works on its one page but a total of %d", len(list.Works), list.Total)
	}
	if n := cliCount(t, data, `SELECT COUNT(*) FROM works`); n != 50 {
		t.Errorf("the archive holds %d works, want 50", n)
	}
	resp, err := client.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /: %d", resp.StatusCode)
	}
	srv.Kill()

	// A second --demo on the now full archive adds nothing.
	srv = startServerForCLI(t, 30*time.Second, nil, "--data", data, "--demo", "--demo-works", "50")
	if n := cliCount(t, data, `SELECT COUNT(*) FROM works`); n != 50 {
		t.Errorf("a second serve --demo left %d works, want the same 50", n)
	}
	srv.Kill()
}

// TestServeGracefulShutdown: SIGTERM ends serve cleanly (exit 0) within 10 s.
func TestServeGracefulShutdown(t *testing.T) {
	t.Parallel()
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			srv := startServerForCLI(t, 30*time.Second, []string{"QUIRE_DATA=" + t.TempDir()})
			// An idle keep-alive connection must not hold the shutdown up.
			client := &http.Client{Timeout: 5 * time.Second}
			defer client.CloseIdleConnections()
			resp, err := client.Get(srv.URL + "/healthz")
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()

			start := time.Now()
			if err := srv.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			select {
			case <-srv.done:
			case <-ctx.Done():
				t.Fatalf("quire serve still running 10 s after %v\nstderr: %s", sig, srv.stderr)
			}
			if srv.err != nil {
				t.Errorf("quire serve after %v: %v (want exit 0)\nstderr: %s", sig, srv.err, srv.stderr)
			}
			t.Logf("%v: exited in %v", sig, time.Since(start).Round(time.Millisecond))
			if _, err := http.Get(srv.URL + "/healthz"); err == nil {
				t.Errorf("the server still answers after it exited")
			}
		})
	}
}

// TestServeWritesHitsAtShutdown: views are counted in batches, and a
// SIGTERM right after a view still writes its hit before serve exits.
func TestServeWritesHitsAtShutdown(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	srv := startServerForCLI(t, 60*time.Second, nil, "--data", data, "--demo", "--demo-works", "5")
	var id int
	for id = 1; id <= 5; id++ {
		if cliCount(t, data, `SELECT COUNT(*) FROM works WHERE id = ? AND draft = 0 AND restricted = 0`, id) == 1 {
			break
		}
	}
	before := cliCount(t, data, `SELECT hits FROM works WHERE id = ?`, id)
	resp, err := http.Get(fmt.Sprintf("%s/works/%d?view_adult=true", srv.URL, id))
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("work %d: status %d", id, resp.StatusCode)
	}
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-srv.done:
	case <-time.After(20 * time.Second):
		t.Fatalf("quire serve still running after SIGTERM\nstderr: %s", srv.stderr)
	}
	if got := cliCount(t, data, `SELECT hits FROM works WHERE id = ?`, id); got != before+1 {
		t.Errorf("hits of work %d after a view and SIGTERM: %d, want %d\nstderr: %s", id, got, before+1, srv.stderr)
	}
}
