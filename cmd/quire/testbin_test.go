package main

// Helpers shared by the tests that run the real quire binary (cli_test.go,
// durability_test.go). Every name here ends in "ForCLI" or starts with
// "cli" so it cannot collide with helpers of other test files in this
// package (browser_test.go builds the binary on its own).

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	cliBinOnce sync.Once
	cliBinPath string
	cliBinErr  error
)

// buildQuireForCLI builds the quire binary once per test process (into a
// directory from os.MkdirTemp, shared by every test that asks) and returns
// its path.
func buildQuireForCLI(t testing.TB) string {
	t.Helper()
	cliBinOnce.Do(func() {
		dir, err := os.MkdirTemp("", "quire-cli-test-")
		if err != nil {
			cliBinErr = err
			return
		}
		goTool, err := exec.LookPath("go")
		if err != nil {
			cliBinErr = fmt.Errorf("go tool not found: %w", err)
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		bin := filepath.Join(dir, "quire")
		cmd := exec.CommandContext(ctx, goTool, "build", "-o", bin, ".")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			cliBinErr = fmt.Errorf("go build: %v\n%s", err, out.String())
			return
		}
		cliBinPath = bin
	})
	if cliBinErr != nil {
		t.Fatalf("building quire: %v", cliBinErr)
	}
	return cliBinPath
}

// cliResult is what one run of the binary did.
type cliResult struct {
	Stdout, Stderr string
	Code           int
}

// runQuireForCLI runs the binary with args and extra environment (KEY=VALUE)
// and waits for it, at most 60 s. QUIRE_* variables of the test's own
// environment are removed so they cannot leak into the command.
func runQuireForCLI(t testing.TB, env []string, args ...string) cliResult {
	t.Helper()
	bin := buildQuireForCLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(cliCleanEnv(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := cliResult{Stdout: stdout.String(), Stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		res.Code = exit.ExitCode()
	default:
		t.Fatalf("quire %s: %v", strings.Join(args, " "), err)
	}
	if ctx.Err() != nil {
		t.Fatalf("quire %s: timed out\nstderr: %s", strings.Join(args, " "), res.Stderr)
	}
	return res
}

// cliCleanEnv is the test's environment without QUIRE_* variables.
func cliCleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "QUIRE_") {
			env = append(env, kv)
		}
	}
	return env
}

// cliSyncBuffer is a bytes.Buffer safe for a process writing while the test reads.
type cliSyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *cliSyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *cliSyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// cliServer is one running "quire serve".
type cliServer struct {
	t   testing.TB
	cmd *exec.Cmd
	URL string // http://127.0.0.1:PORT
	// MetricsURL is http://127.0.0.1:PORT/metrics on the separate metrics
	// listener, "" when it is off.
	MetricsURL string
	stdout     *cliSyncBuffer
	stderr     *cliSyncBuffer
	done       chan struct{} // closed when the process has exited
	err        error         // Wait's result, valid after done
}

var (
	cliServingRe = regexp.MustCompile(`serving \d+ works at (http://\S+)`)
	cliMetricsRe = regexp.MustCompile(`metrics at (http://\S+)`)
)

// startServerForCLI starts "quire serve --addr 127.0.0.1:0 ARGS…", learns the
// addresses it listens on from its output, and waits until /healthz
// answers 200 (at most startTimeout). Unless ARGS or env name one, the
// metrics listener is on a port of its own too, so that several servers can
// run at once. The process is killed at the end of the test if it is still
// running.
func startServerForCLI(t testing.TB, startTimeout time.Duration, env []string, args ...string) *cliServer {
	t.Helper()
	bin := buildQuireForCLI(t)
	full := []string{"serve", "--addr", "127.0.0.1:0"}
	if !slices.ContainsFunc(args, func(a string) bool { return strings.HasPrefix(a, "--metrics-addr") }) &&
		!slices.ContainsFunc(env, func(kv string) bool { return strings.HasPrefix(kv, "QUIRE_METRICS_ADDR=") }) {
		full = append(full, "--metrics-addr", "127.0.0.1:0")
	}
	cmd := exec.Command(bin, append(full, args...)...)
	cmd.Env = append(cliCleanEnv(), env...)
	s := &cliServer{t: t, cmd: cmd, stdout: &cliSyncBuffer{}, stderr: &cliSyncBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = s.stdout, s.stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start quire serve: %v", err)
	}
	go func() { s.err = cmd.Wait(); close(s.done) }()
	t.Cleanup(func() {
		select {
		case <-s.done:
		default:
			cmd.Process.Kill()
			<-s.done
		}
		if t.Failed() {
			t.Logf("quire serve output:\nstdout: %s\nstderr: %s", s.stdout, s.stderr)
		}
	})
	deadline := time.Now().Add(startTimeout)
	for s.URL == "" {
		if m := cliServingRe.FindStringSubmatch(s.stdout.String()); m != nil {
			s.URL = m[1]
			if m := cliMetricsRe.FindStringSubmatch(s.stdout.String()); m != nil {
				s.MetricsURL = m[1]
			}
			break
		}
		select {
		case <-s.done:
			t.Fatalf("quire serve exited before serving (%v)\nstdout: %s\nstderr: %s", s.err, s.stdout, s.stderr)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("quire serve did not start within %v\nstdout: %s\nstderr: %s", startTimeout, s.stdout, s.stderr)
		}
	}
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		resp, err := client.Get(s.URL + "/healthz")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET /healthz never answered 200 within %v (last error %v)\nstderr: %s", startTimeout, err, s.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Kill sends SIGKILL and waits for the process to be gone.
func (s *cliServer) Kill() {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		s.t.Fatalf("SIGKILL: %v", err)
	}
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		s.t.Fatal("the server did not die within 10 s of SIGKILL")
	}
}

// getJSONForCLI GETs url (with a bearer token when token != "") and decodes
// a 200 answer into v; it returns the status.
func getJSONForCLI(t testing.TB, client *http.Client, url, token string, v any) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading body: %v", url, err)
	}
	if resp.StatusCode == http.StatusOK && v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			t.Fatalf("GET %s: decoding %q: %v", url, body, err)
		}
	}
	return resp.StatusCode
}

// addWriterForCLI creates user name with a password file in data and
// returns an API token for it.
func addWriterForCLI(t testing.TB, data, name, email string, extra ...string) string {
	t.Helper()
	pw := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(pw, []byte("correct horse battery staple\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	where := "--data" // data may also be a postgres:// URL (the two-node test)
	if strings.HasPrefix(data, "postgres://") {
		where = "--db"
	}
	if r := runQuireForCLI(t, nil, append([]string{"user", "add", name, "--email", email, "--password-file", pw, where, data}, extra...)...); r.Code != 0 {
		t.Fatalf("quire user add: exit %d\nstdout: %s\nstderr: %s", r.Code, r.Stdout, r.Stderr)
	}
	r := runQuireForCLI(t, nil, "token", "create", name, where, data)
	if r.Code != 0 {
		t.Fatalf("quire token create: exit %d\nstderr: %s", r.Code, r.Stderr)
	}
	token := strings.TrimSpace(r.Stdout)
	if token == "" || strings.ContainsAny(token, " \n") {
		t.Fatalf("quire token create printed %q, want one token", r.Stdout)
	}
	return token
}
