package jobs_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"quire/internal/jobs"
	"quire/internal/store/sqlite"
	"quire/internal/store/sqlstore"
	"quire/internal/store/testdb"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func openStore(t *testing.T) *sqlstore.Store {
	t.Helper()
	return testdb.Open(t)
}

type jobRow struct {
	kind      string
	attempts  int
	runAt     int64
	lastError string
	done      bool
}

func onlyJob(t *testing.T, st *sqlite.Store) jobRow {
	t.Helper()
	var r jobRow
	var done sql.NullInt64
	err := st.DB().QueryRow(`SELECT kind, attempts, run_at, last_error, done_at FROM jobs`).Scan(&r.kind, &r.attempts, &r.runAt, &r.lastError, &done)
	if err != nil {
		t.Fatalf("read job row: %v", err)
	}
	r.done = done.Valid && done.Int64 != 0
	return r
}

func runDue(t *testing.T, r *jobs.Runner) int {
	t.Helper()
	n, err := r.RunDue(context.Background())
	if err != nil {
		t.Fatalf("RunDue: %v", err)
	}
	return n
}

func TestBackoff(t *testing.T) {
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute}
	for i, w := range want {
		if got := jobs.Backoff(i + 1); got != w {
			t.Errorf("Backoff(%d) = %v, want %v", i+1, got, w)
		}
	}
	for _, n := range []int{11, 12, 50, 1000} {
		if got := jobs.Backoff(n); got != 6*time.Hour {
			t.Errorf("Backoff(%d) = %v, want the 6h cap", n, got)
		}
	}
	if got := jobs.Backoff(10); got != 30*time.Second<<9 || got >= 6*time.Hour {
		t.Errorf("Backoff(10) = %v", got)
	}
}

func TestEnqueueAndRunDue(t *testing.T) {
	st := openStore(t)
	r := jobs.NewRunner(st, nil)
	type payload struct {
		N    int    `json:"n"`
		Name string `json:"name"`
	}
	var got []payload
	r.Handle("count", func(ctx context.Context, b []byte) error {
		var p payload
		if err := json.Unmarshal(b, &p); err != nil {
			return err
		}
		got = append(got, p)
		return nil
	})
	ctx := context.Background()
	for i := 1; i <= 3; i++ {
		if err := r.Enqueue(ctx, "count", payload{i, "Zoë"}); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := st.PendingJobs(ctx); n != 3 {
		t.Fatalf("pending = %d, want 3", n)
	}
	if n := runDue(t, r); n != 3 {
		t.Fatalf("RunDue ran %d, want 3", n)
	}
	if len(got) != 3 || got[0].Name != "Zoë" {
		t.Fatalf("handled %+v", got)
	}
	seen := map[int]bool{}
	for _, p := range got {
		seen[p.N] = true
	}
	if len(seen) != 3 {
		t.Errorf("handled %+v, want each job once", got)
	}
	if n := runDue(t, r); n != 0 {
		t.Errorf("second RunDue ran %d", n)
	}
	if n, _ := st.PendingJobs(ctx); n != 0 {
		t.Errorf("pending = %d", n)
	}
	if err := r.Enqueue(ctx, "count", func() {}); err == nil {
		t.Error("Enqueue of an unencodable payload succeeded")
	}
}

func TestGivesUpAfterMaxAttempts(t *testing.T) {
	st := openStore(t)
	var logBuf bytes.Buffer
	r := jobs.NewRunner(st, slog.New(slog.NewTextHandler(&logBuf, nil)))
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	r.Now = clk.now
	calls := 0
	r.Handle("flaky", func(ctx context.Context, b []byte) error {
		calls++
		return errors.New("boom " + string(rune('A'+calls-1)))
	})
	if err := r.Enqueue(context.Background(), "flaky", "x"); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= jobs.MaxAttempts; i++ {
		if n := runDue(t, r); n != 1 {
			t.Fatalf("attempt %d: RunDue ran %d", i, n)
		}
		j := onlyJob(t, st)
		if j.attempts != i {
			t.Fatalf("after attempt %d: attempts = %d", i, j.attempts)
		}
		if i < jobs.MaxAttempts {
			if j.done {
				t.Fatalf("given up after only %d attempts", i)
			}
			if want := clk.now().Add(jobs.Backoff(i)).Unix(); j.runAt != want {
				t.Fatalf("after attempt %d: run_at = %d, want %d", i, j.runAt, want)
			}
			if strings.Contains(logBuf.String(), "level=ERROR") {
				t.Fatalf("logged an error before giving up:\n%s", logBuf.String())
			}
			clk.set(time.Unix(j.runAt, 0))
		}
	}
	j := onlyJob(t, st)
	if !j.done || j.lastError != "boom L" {
		t.Errorf("after %d attempts: %+v, want done with the last error recorded", jobs.MaxAttempts, j)
	}
	if !strings.Contains(logBuf.String(), "level=ERROR") || !strings.Contains(logBuf.String(), "boom L") {
		t.Errorf("giving up was not logged at Error:\n%s", logBuf.String())
	}
	clk.set(clk.now().Add(48 * time.Hour))
	if n := runDue(t, r); n != 0 || calls != jobs.MaxAttempts {
		t.Errorf("given-up job ran again (RunDue %d, calls %d)", n, calls)
	}
	if n, _ := st.PendingJobs(context.Background()); n != 0 {
		t.Errorf("pending = %d", n)
	}
}

func TestUnknownKindRetriesLater(t *testing.T) {
	st := openStore(t)
	var logBuf bytes.Buffer
	r := jobs.NewRunner(st, slog.New(slog.NewTextHandler(&logBuf, nil)))
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	r.Now = clk.now
	if err := r.Enqueue(context.Background(), "later", map[string]int{"a": 1}); err != nil {
		t.Fatal(err)
	}
	if n := runDue(t, r); n != 1 {
		t.Fatalf("RunDue ran %d", n)
	}
	j := onlyJob(t, st)
	if j.done || j.attempts != 1 || j.runAt != clk.now().Add(30*time.Second).Unix() || !strings.Contains(j.lastError, "later") {
		t.Fatalf("unknown kind: %+v", j)
	}
	if !strings.Contains(logBuf.String(), "later") {
		t.Errorf("unknown kind not logged:\n%s", logBuf.String())
	}
	// Once a handler is registered (a newer binary, say), it runs.
	var got map[string]int
	r.Handle("later", func(ctx context.Context, b []byte) error { return json.Unmarshal(b, &got) })
	clk.set(clk.now().Add(30 * time.Second))
	if n := runDue(t, r); n != 1 || got["a"] != 1 {
		t.Fatalf("RunDue ran %d, payload %v", n, got)
	}
	if j := onlyJob(t, st); !j.done {
		t.Errorf("job not done: %+v", j)
	}
}

func TestPermanentErrorGivesUpAtOnce(t *testing.T) {
	st := openStore(t)
	r := jobs.NewRunner(st, nil)
	calls := 0
	r.Handle("bad", func(ctx context.Context, b []byte) error {
		calls++
		return jobs.Permanent(errors.New("malformed payload"))
	})
	if err := r.Enqueue(context.Background(), "bad", nil); err != nil {
		t.Fatal(err)
	}
	if n := runDue(t, r); n != 1 {
		t.Fatalf("RunDue ran %d", n)
	}
	j := onlyJob(t, st)
	if !j.done || j.lastError != "malformed payload" || calls != 1 {
		t.Errorf("permanent failure: %+v, calls %d", j, calls)
	}
}

func TestPanicIsAFailure(t *testing.T) {
	st := openStore(t)
	r := jobs.NewRunner(st, nil)
	r.Handle("panics", func(ctx context.Context, b []byte) error { panic("oops") })
	if err := r.Enqueue(context.Background(), "panics", 1); err != nil {
		t.Fatal(err)
	}
	if n := runDue(t, r); n != 1 {
		t.Fatalf("RunDue ran %d", n)
	}
	if j := onlyJob(t, st); j.done || j.attempts != 1 || !strings.Contains(j.lastError, "oops") {
		t.Errorf("after panic: %+v", j)
	}
}

func TestRunWakesOnEnqueueAndStops(t *testing.T) {
	st := openStore(t)
	r := jobs.NewRunner(st, nil)
	r.PollInterval = time.Hour // only the nudge can wake it in time
	ran := make(chan string, 10)
	r.Handle("ping", func(ctx context.Context, b []byte) error {
		var s string
		_ = json.Unmarshal(b, &s)
		ran <- s
		return nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		r.Run(ctx)
		close(stopped)
	}()

	for _, want := range []string{"one", "two"} {
		time.Sleep(50 * time.Millisecond) // let Run go idle
		start := time.Now()
		if err := r.Enqueue(context.Background(), "ping", want); err != nil {
			t.Fatal(err)
		}
		select {
		case got := <-ran:
			if got != want {
				t.Errorf("ran %q, want %q", got, want)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("job ran %v after Enqueue", d)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("Run did not wake on Enqueue of %q", want)
		}
	}

	cancel()
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after ctx was cancelled")
	}
}

func TestRunPollsForJobsFromElsewhere(t *testing.T) {
	st := openStore(t)
	// Another runner (another process, say) enqueues; this one has no nudge
	// and must find the job by polling.
	other := jobs.NewRunner(st, nil)
	r := jobs.NewRunner(st, nil)
	r.PollInterval = 20 * time.Millisecond
	ran := make(chan struct{}, 1)
	r.Handle("ping", func(ctx context.Context, b []byte) error { ran <- struct{}{}; return nil })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stopped := make(chan struct{})
	go func() {
		r.Run(ctx)
		close(stopped)
	}()
	time.Sleep(50 * time.Millisecond)
	if err := other.Enqueue(context.Background(), "ping", nil); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ran:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not poll the job up")
	}
	cancel()
	<-stopped
}

func TestRunInterruptedJobRerunsAfterRestart(t *testing.T) {
	st := openStore(t)
	r := jobs.NewRunner(st, nil)
	started := make(chan struct{})
	r.Handle("slow", func(ctx context.Context, b []byte) error {
		close(started)
		<-ctx.Done()
		return ctx.Err()
	})
	if err := r.Enqueue(context.Background(), "slow", nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		r.Run(ctx)
		close(stopped)
	}()
	<-started
	cancel()
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop while a handler was running")
	}
	// The job was released, not left locked: a new runner takes it now.
	r2 := jobs.NewRunner(st, nil)
	done := false
	r2.Handle("slow", func(ctx context.Context, b []byte) error { done = true; return nil })
	if n := runDue(t, r2); n != 1 || !done {
		t.Fatalf("after restart RunDue ran %d (handled %v)", n, done)
	}
}

// Runner.LockFor sets how long a claim lasts (so how soon another runner
// takes over from a dead one) and bounds the handler to four fifths of it;
// below MinLockFor it is raised to it.
func TestRunnerLockFor(t *testing.T) {
	for _, tc := range []struct {
		set, want time.Duration
	}{{0, jobs.LockFor}, {10 * time.Second, 10 * time.Second}, {time.Millisecond, jobs.MinLockFor}} {
		st := openStore(t)
		clk := &clock{t: time.Unix(1_700_000_000, 0)}
		r := jobs.NewRunner(st, nil)
		r.Now, r.LockFor = clk.now, tc.set
		var lockedUntil int64
		var budget time.Duration
		r.Handle("probe", func(ctx context.Context, _ []byte) error {
			d, _ := ctx.Deadline()
			budget = time.Until(d)
			return st.DB().QueryRow(`SELECT locked_until FROM jobs`).Scan(&lockedUntil)
		})
		if err := r.Enqueue(context.Background(), "probe", nil); err != nil {
			t.Fatal(err)
		}
		runDue(t, r)
		if got := time.Duration(lockedUntil-clk.now().Unix()) * time.Second; got != tc.want {
			t.Errorf("LockFor %v: claimed for %v, want %v", tc.set, got, tc.want)
		}
		if limit := tc.want * 4 / 5; budget > limit || budget < limit-time.Second {
			t.Errorf("LockFor %v: handler given %v, want about %v", tc.set, budget, limit)
		}
	}
}
